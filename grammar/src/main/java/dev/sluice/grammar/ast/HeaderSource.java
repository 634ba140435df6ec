package dev.sluice.grammar.ast;

import java.util.Optional;

/**
 * Where a ksqlDB header column reads from: {@code HEADERS} (every header of the record, in order, as
 * {@code ARRAY<STRUCT<KEY STRING, VALUE BYTES>>}) when {@code key} is empty, or {@code HEADER('k')}
 * (the value of the last header named {@code k}, as {@code BYTES}).
 */
public record HeaderSource(Optional<String> key) {
    public static final HeaderSource ALL = new HeaderSource(Optional.empty());
}
