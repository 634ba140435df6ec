package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/**
 * Reads one non-null JSON value of a column's type. Called with the parser on the value's first token;
 * leaves it on the value's last token. Built once per schema, so no per-record type dispatch.
 */
@FunctionalInterface
interface JsonValueReader {
    Object read(JsonParser p) throws IOException;
}
