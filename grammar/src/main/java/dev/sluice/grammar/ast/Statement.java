package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/**
 * Top-level statements. Each keeps its source text span (for messages and {@code EXPLAIN}) via
 * {@link #location()}; the parser also records the statement text in {@link ParsedStatement}.
 */
public sealed interface Statement extends Node {

    enum ObjectKind { STREAM, TABLE, DYNAMIC_TABLE, VIEW, MATERIALIZED_VIEW }

    /**
     * {@code CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name (columns, WATERMARK ..., PRIMARY KEY (...)) WITH (...)}.
     * Columns may be empty ({@code CREATE STREAM s WITH (format = 'avro', ...)}): the schema then comes
     * from a registry.
     */
    record CreateSource(ObjectKind kind, QualifiedName name, boolean orReplace, boolean ifNotExists,
                        List<ColumnDefinition> columns, List<ComputedColumn> computedColumns,
                        List<Identifier> primaryKey, Optional<Watermark> watermark, List<Identifier> partitionedBy,
                        List<Property> properties, List<TableConstraint> constraints, NodeLocation location,
                        boolean readOnly)
            implements Statement {
        /** A source that can be written to (every declaration but ksqlDB's {@code CREATE SOURCE STREAM|TABLE}). */
        public CreateSource(ObjectKind kind, QualifiedName name, boolean orReplace, boolean ifNotExists,
                            List<ColumnDefinition> columns, List<ComputedColumn> computedColumns,
                            List<Identifier> primaryKey, Optional<Watermark> watermark, List<Identifier> partitionedBy,
                            List<Property> properties, List<TableConstraint> constraints, NodeLocation location) {
            this(kind, name, orReplace, ifNotExists, columns, computedColumns, primaryKey, watermark, partitionedBy,
                    properties, constraints, location, false);
        }

        public CreateSource {
            columns = List.copyOf(columns);
            computedColumns = List.copyOf(computedColumns);
            primaryKey = List.copyOf(primaryKey);
            partitionedBy = List.copyOf(partitionedBy);
            properties = List.copyOf(properties);
            constraints = List.copyOf(constraints);
        }

        /** A declaration without table constraints (CHECK, UNIQUE). */
        public CreateSource(ObjectKind kind, QualifiedName name, boolean orReplace, boolean ifNotExists,
                            List<ColumnDefinition> columns, List<ComputedColumn> computedColumns,
                            List<Identifier> primaryKey, Optional<Watermark> watermark, List<Identifier> partitionedBy,
                            List<Property> properties, NodeLocation location) {
            this(kind, name, orReplace, ifNotExists, columns, computedColumns, primaryKey, watermark, partitionedBy,
                    properties, List.of(), location);
        }

        /** A declaration with physical columns only (no computed columns, no PARTITIONED BY). */
        public CreateSource(ObjectKind kind, QualifiedName name, boolean orReplace, boolean ifNotExists,
                            List<ColumnDefinition> columns, List<Identifier> primaryKey, Optional<Watermark> watermark,
                            List<Property> properties, NodeLocation location) {
            this(kind, name, orReplace, ifNotExists, columns, List.of(), primaryKey, watermark, List.of(), properties,
                    location);
        }
    }

    /**
     * Flink's {@code CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA]}:
     * a user-defined function loaded from a jar the CLI is given.
     */
    record CreateFunction(QualifiedName name, String className, boolean ifNotExists, NodeLocation location)
            implements Statement {
    }

    /**
     * {@code CREATE [OR REPLACE|OR ALTER] STREAM|TABLE|DYNAMIC TABLE|VIEW name [WITH (...)] [options] AS query}.
     * {@code objectOptions} holds Snowflake-style options written before AS ({@code TARGET_LAG = '1 minute'},
     * {@code WAREHOUSE = WH}); {@code properties} the {@code WITH (...)} list.
     */
    record CreateAsSelect(ObjectKind kind, QualifiedName name, boolean orReplace, boolean orAlter,
                          boolean ifNotExists, List<Property> properties, List<Property> objectOptions,
                          Query query, NodeLocation location) implements Statement {
        public CreateAsSelect {
            properties = List.copyOf(properties);
            objectOptions = List.copyOf(objectOptions);
        }
    }

    /** {@code INSERT INTO name [(cols)] query}. */
    record InsertInto(QualifiedName target, List<Identifier> columns, Query query, NodeLocation location)
            implements Statement {
        public InsertInto {
            columns = List.copyOf(columns);
        }
    }

    /**
     * ksqlDB's {@code INSERT INTO name [(cols)] VALUES (v, ...)}: one row written to the target's topic.
     * Without columns, the values are for every column of the target in its order.
     */
    record InsertValues(QualifiedName target, List<Identifier> columns, List<Expression> values,
                        NodeLocation location) implements Statement {
        public InsertValues {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
        }
    }

    /** A bare query: a transient (push) query whose rows are printed. */
    record QueryStatement(Query query, NodeLocation location) implements Statement {
    }

    /** {@code SET 'key' = 'value'} (also {@code SET key = value}). */
    record Set(String key, String value, NodeLocation location) implements Statement {
    }

    /** {@code USE [DATABASE|SCHEMA] name}. */
    record Use(Optional<String> kind, QualifiedName name, NodeLocation location) implements Statement {
    }

    /** {@code DESCRIBE [STREAM|TABLE] [EXTENDED] name}. */
    record Describe(Optional<ObjectKind> kind, QualifiedName name, boolean extended, NodeLocation location)
            implements Statement {
    }

    /**
     * All {@code SHOW ...} forms: {@code SHOW STREAMS}, {@code SHOW CREATE STREAM x FORMAT JSON},
     * {@code SHOW STREAM HEALTH x}, {@code SHOW DYNAMIC TABLES LIKE 'DT_%' IN SCHEMA a.b}.
     * {@code words} are the keywords after SHOW (upper case) up to the object name.
     */
    record Show(List<String> words, Optional<QualifiedName> name, Optional<String> like,
                Optional<QualifiedName> in, Optional<String> format, NodeLocation location) implements Statement {
        public Show {
            words = List.copyOf(words);
        }
    }

    /** {@code EXPLAIN statement}. */
    record Explain(Statement statement, NodeLocation location) implements Statement {
    }

    /** {@code ALTER STREAM|TABLE|DYNAMIC TABLE name action, action ...}. */
    record Alter(ObjectKind kind, QualifiedName name, List<AlterAction> actions, NodeLocation location)
            implements Statement {
        public Alter {
            actions = List.copyOf(actions);
        }
    }

    /** {@code DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC]}. */
    record Drop(ObjectKind kind, QualifiedName name, boolean ifExists, boolean deleteTopic, NodeLocation location)
            implements Statement {
    }

    /**
     * A database statement accepted with a note because it changes nothing Sluice computes:
     * {@code CREATE INDEX} (an index speeds a database's reads; a stream has none to speed) and
     * {@code COMMENT ON COLUMN}. {@code sql} is the statement as written.
     */
    record Accepted(String sql, String note, NodeLocation location) implements Statement {
    }

    /** {@code COMMENT ON DYNAMIC TABLE|VIEW|STREAM|TABLE name IS 'text'}. */
    record CommentOn(ObjectKind kind, QualifiedName name, String comment, NodeLocation location)
            implements Statement {
    }
}
