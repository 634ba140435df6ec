package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** Writes one non-null value of a column's type; built once per schema. */
@FunctionalInterface
interface JsonValueWriter {
    void write(JsonGenerator g, Object value) throws IOException;
}
