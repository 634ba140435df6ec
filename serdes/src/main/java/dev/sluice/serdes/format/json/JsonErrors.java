package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Short, user-facing renderings of bad JSON input: a record's value, never a parser stack. */
final class JsonErrors {
    private static final int MAX_SHOWN = 80;

    private JsonErrors() {
    }

    /** The offending value as JSON text (strings quoted), shortened; consumes it when nested. */
    static String render(JsonParser p) {
        try {
            JsonToken t = p.currentToken();
            if (t == null) {
                return "nothing";
            }
            String text;
            if (t == JsonToken.VALUE_STRING) {
                text = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(p.getText())) + "\"";
            } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                text = p.readValueAsTree().toString();
            } else {
                text = p.getText();
            }
            return shorten(text);
        } catch (Exception e) {
            return "malformed JSON";
        }
    }

    /** "invalid JSON: Unexpected character ('x') at line 1, column 9", without Jackson's source dump. */
    static String invalidJson(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder("invalid JSON: ").append(shorten(e.getOriginalMessage()));
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
        }
        return sb.toString();
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replace('\n', ' ');
        return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...";
    }
}
