package dev.sluice.grammar.ast;

import java.util.List;

/** A type as written in DDL or CAST; the analyzer maps it to a row type and reports bad ones. */
public sealed interface TypeSpec extends Node {

    /** {@code VARCHAR(255)}, {@code DECIMAL(10,2)}, {@code TIMESTAMP(3)}, {@code TIMESTAMP WITH TIME ZONE}. */
    record Named(String name, List<Integer> parameters, NodeLocation location) implements TypeSpec {
        public Named {
            parameters = List.copyOf(parameters);
        }
    }

    record Array(TypeSpec element, NodeLocation location) implements TypeSpec {
    }

    record Map(TypeSpec key, TypeSpec value, NodeLocation location) implements TypeSpec {
    }

    record Struct(List<Field> fields, NodeLocation location) implements TypeSpec {
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    record Field(Identifier name, TypeSpec type) {
    }
}
