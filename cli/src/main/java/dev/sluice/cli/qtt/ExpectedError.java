package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * A case's {@code expectedException}, judged as ksqlDB's runner judges it where Sluice can: the
 * error's message must contain the expected {@code message} ({@code containsString}), and a cause's
 * message the expected {@code causeMessage}. The Java {@code type} is not compared (Sluice's
 * exceptions are its own classes); a case naming only a type passes on any error at compile time.
 */
record ExpectedError(Optional<String> message, Optional<String> causeMessage) {

    static ExpectedError of(JsonNode node) {
        return new ExpectedError(text(node, "message"), text(node, "causeMessage"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** Empty when {@code error} is the expected one, else what differs. */
    Optional<String> mismatch(Throwable error) {
        if (message.isPresent() && !text(error).contains(message.get())) {
            return Optional.of("expected an error containing \"" + oneLine(message.get()) + "\", got: "
                    + oneLine(text(error)));
        }
        if (causeMessage.isPresent()) {
            for (Throwable c = error.getCause(); c != null; c = c.getCause()) {
                if (c.getMessage() != null && c.getMessage().contains(causeMessage.get())) {
                    return Optional.empty();
                }
            }
            if (!message.isPresent() || !text(error).contains(causeMessage.get())) {
                return Optional.of("expected an error caused by \"" + oneLine(causeMessage.get()) + "\", got: "
                        + oneLine(text(error)));
            }
        }
        return Optional.empty();
    }

    /** The error's message and its causes' (Sluice wraps some errors; the user sees them all). */
    private static String text(Throwable e) {
        StringBuilder all = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c.getMessage() != null) {
                all.append('\n').append(c.getMessage());
            }
        }
        return all.toString();
    }

    private static String oneLine(String s) {
        String line = s.lines().findFirst().orElse(s);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
