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

    /** {@link #mismatch(Throwable, int, String)} for an error whose positions need no shift. */
    Optional<String> mismatch(Throwable error) {
        return mismatch(error, 0, "");
    }

    /**
     * Empty when {@code error} is the expected one, else what differs. A SQL error is read with its
     * place in front as ksqlDB's engine writes it ({@link #ksqlPosition}), its column on line 1 reduced
     * by {@code firstLineShift}: text the runner put before the case's statements. A syntax error in
     * ksqlDB's words ends, as ksqlDB's {@code ParseFailedException} does, with the failed line of the
     * case's own text ({@code caseSql}) after {@code Statement: }.
     */
    Optional<String> mismatch(Throwable error, int firstLineShift, String caseSql) {
        String text = text(error, firstLineShift);
        if (error instanceof dev.sluice.grammar.SqlSyntaxException syntax && text.contains("Syntax Error\n")) {
            String[] lines = caseSql.split("\n", -1);
            if (syntax.line() >= 1 && syntax.line() <= lines.length) {
                text = text + "\nStatement: " + lines[syntax.line() - 1];
            }
        }
        if (message.isPresent() && !text.contains(message.get())) {
            return Optional.of("expected an error containing \"" + oneLine(message.get()) + "\", got: "
                    + oneLine(text));
        }
        if (causeMessage.isPresent()) {
            for (Throwable c = error.getCause(); c != null; c = c.getCause()) {
                if (c.getMessage() != null && c.getMessage().contains(causeMessage.get())) {
                    return Optional.empty();
                }
            }
            if (!message.isPresent() || !text.contains(causeMessage.get())) {
                return Optional.of("expected an error caused by \"" + oneLine(causeMessage.get()) + "\", got: "
                        + oneLine(text));
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern FIRST_LINE_PLACE = java.util.regex.Pattern.compile("at line 1:(\\d+)");

    /** The error's message and its causes' (Sluice wraps some errors; the user sees them all). */
    private static String text(Throwable e, int firstLineShift) {
        StringBuilder all = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (e instanceof dev.sluice.grammar.SqlException sql) {
            int column = sql.line() == 1 ? Math.max(1, sql.column() - firstLineShift) : sql.column();
            if (sql.line() == 1 && firstLineShift > 0) {
                // a place ksqlDB writes into its words ("… at line 1:8") is counted from the case's text too
                java.util.regex.Matcher place = FIRST_LINE_PLACE.matcher(all);
                StringBuilder shifted = new StringBuilder();
                while (place.find()) {
                    place.appendReplacement(shifted, "at line 1:" + Math.max(1, Integer.parseInt(place.group(1))
                            - firstLineShift));
                }
                place.appendTail(shifted);
                all = shifted;
            }
            all.insert(0, ksqlPosition(sql, column));
        }
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c.getMessage() != null) {
                all.append('\n').append(c.getMessage());
            }
        }
        return all.toString();
    }

    /**
     * ksqlDB places an error two ways: its parser as {@code line L:C: } (ANTLR's form), its analyzer
     * as {@code Line: L, Col: C: } ({@code NodeLocation.asPrefix}). Sluice's errors carry the place
     * apart from the words, so the QTT form is chosen here, by the stage that raised the error; the
     * CLI keeps Sluice's {@code file:line:col} with the source line and caret.
     */
    static String ksqlPosition(dev.sluice.grammar.SqlException error, int column) {
        if (error instanceof dev.sluice.grammar.SqlPreparationException p) {
            // ksqlDB's AST builder names no place; its sanitizer's errors keep the analyzer's form
            return p.stage().prefix() + switch (p.stage()) {
                case AST_BUILDER -> "";
                case AST_BUILDER_PARSING -> "line " + error.line() + ":" + (column + 1) + ": ";
                case SANITIZER -> "Line: " + error.line() + ", Col: " + column + ": ";
            };
        }
        return error instanceof dev.sluice.grammar.SqlSyntaxException
                ? "line " + error.line() + ":" + column + ": "
                : "Line: " + error.line() + ", Col: " + column + ": ";
    }

    private static String oneLine(String s) {
        String line = s.lines().findFirst().orElse(s);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
