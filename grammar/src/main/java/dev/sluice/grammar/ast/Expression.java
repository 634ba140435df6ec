package dev.sluice.grammar.ast;

import java.util.List;
import java.util.Optional;

/**
 * Scalar expressions as written. Names are not resolved and types are not known here: the
 * analyzer does both and reports errors at {@link #location()}.
 */
public sealed interface Expression extends Node {

    // ---- literals -------------------------------------------------------------------------

    record StringLiteral(String value, NodeLocation location) implements Expression {
    }

    /** Digits as written ({@code 42}, {@code 1000.0}, {@code 1e3}); the analyzer types them. */
    record NumericLiteral(String text, NodeLocation location) implements Expression {
    }

    record BooleanLiteral(boolean value, NodeLocation location) implements Expression {
    }

    record NullLiteral(NodeLocation location) implements Expression {
    }

    /**
     * {@code INTERVAL '30' SECOND}, {@code INTERVAL '5' MINUTES}, {@code INTERVAL '1 minute'},
     * {@code INTERVAL '1:30' MINUTE TO SECOND}. {@code unit} is the leading field (upper case,
     * singular: SECOND, MINUTE, HOUR, DAY, MONTH, YEAR, MILLISECOND) or empty when the unit is
     * inside the string; {@code toUnit} is the trailing field of a range.
     */
    record IntervalLiteral(String value, boolean negative, Optional<String> unit, Optional<String> toUnit,
                           NodeLocation location) implements Expression {
    }

    /** {@code TIMESTAMP '2024-01-15 10:00:00'}, {@code DATE '2024-01-15'}. */
    record TypedLiteral(String type, String value, NodeLocation location) implements Expression {
    }

    /** {@code ['a', 'b']} or {@code ARRAY['a', 'b']}. */
    record ArrayConstructor(List<Expression> elements, NodeLocation location) implements Expression {
        public ArrayConstructor {
            elements = List.copyOf(elements);
        }
    }

    /** ksqlDB's {@code STRUCT(name := value, ...)}. */
    record StructConstructor(List<Identifier> names, List<Expression> values, NodeLocation location)
            implements Expression {
        public StructConstructor {
            names = List.copyOf(names);
            values = List.copyOf(values);
        }
    }

    /** ksqlDB's {@code MAP(key := value, ...)}. */
    record MapConstructor(List<Expression> keys, List<Expression> values, NodeLocation location) implements Expression {
        public MapConstructor {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
        }
    }

    /** A bind parameter {@code :name} (or {@code ?}, with an empty name). */
    record Parameter(String name, NodeLocation location) implements Expression {
    }

    // ---- names and access paths -----------------------------------------------------------

    /**
     * A dotted name: {@code col}, {@code f.col}, {@code s.struct_col.field}. Whether the first
     * part is a relation alias or a column is the analyzer's decision.
     */
    record ColumnRef(List<Identifier> parts, NodeLocation location) implements Expression {
        public ColumnRef {
            parts = List.copyOf(parts);
        }

        public String last() {
            return parts.get(parts.size() - 1).value();
        }
    }

    /** {@code base.field} where base is not a plain name, e.g. {@code (expr).field}. */
    record Dereference(Expression base, Identifier field, NodeLocation location) implements Expression {
    }

    /** {@code arr[1]}, {@code map['key']}. */
    record Subscript(Expression base, Expression index, NodeLocation location) implements Expression {
    }

    /** PostgreSQL JSON operators on JSON text or VARIANT: {@code ->} (JSON) and {@code ->>} (text). */
    record JsonAccess(Expression base, Expression key, boolean asText, NodeLocation location)
            implements Expression {
    }

    /** Snowflake variant path {@code col:a:b} (also {@code col:a.b}); usually followed by {@code ::TYPE}. */
    record VariantPath(Expression base, List<String> path, NodeLocation location) implements Expression {
        public VariantPath {
            path = List.copyOf(path);
        }
    }

    // ---- operators --------------------------------------------------------------------------

    enum BinaryOperator {
        PLUS("+"), MINUS("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%"), CONCAT("||"),
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="),
        AND("AND"), OR("OR");

        public final String symbol;

        BinaryOperator(String symbol) {
            this.symbol = symbol;
        }
    }

    record Binary(BinaryOperator operator, Expression left, Expression right, NodeLocation location)
            implements Expression {
    }

    record Not(Expression value, NodeLocation location) implements Expression {
    }

    record Negate(Expression value, NodeLocation location) implements Expression {
    }

    record IsNull(Expression value, boolean negated, NodeLocation location) implements Expression {
    }

    /** {@code x IS [NOT] TRUE|FALSE}. */
    record IsBoolean(Expression value, boolean expected, boolean negated, NodeLocation location)
            implements Expression {
    }

    record Between(Expression value, Expression low, Expression high, boolean negated, NodeLocation location)
            implements Expression {
    }

    record InList(Expression value, List<Expression> list, boolean negated, NodeLocation location)
            implements Expression {
        public InList {
            list = List.copyOf(list);
        }
    }

    record InSubquery(Expression value, Query query, boolean negated, NodeLocation location)
            implements Expression {
    }

    record Exists(Query query, boolean negated, NodeLocation location) implements Expression {
    }

    record ScalarSubquery(Query query, NodeLocation location) implements Expression {
    }

    /** {@code LIKE} / {@code ILIKE} (case-insensitive) with an optional ESCAPE character. */
    record Like(Expression value, Expression pattern, Optional<Expression> escape, boolean negated,
                boolean caseInsensitive, NodeLocation location) implements Expression {
    }

    /** Searched ({@code CASE WHEN c THEN r}) when operand is empty; simple ({@code CASE x WHEN v THEN r}) otherwise. */
    record Case(Optional<Expression> operand, List<WhenClause> whens, Optional<Expression> otherwise,
                NodeLocation location) implements Expression {
        public Case {
            whens = List.copyOf(whens);
        }
    }

    record WhenClause(Expression condition, Expression result) {
    }

    /** {@code CAST(x AS T)}, {@code TRY_CAST(x AS T)} or {@code x::T} ({@code postfix}, kept for printing). */
    record Cast(Expression value, TypeSpec type, boolean safe, boolean postfix, NodeLocation location)
            implements Expression {
    }

    /** {@code EXTRACT(HOUR FROM ts)}; field upper-cased (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, DOW, EPOCH, ...). */
    record Extract(String field, Expression value, NodeLocation location) implements Expression {
    }

    // ---- function calls ---------------------------------------------------------------------

    /**
     * Any call: scalar ({@code UPPER(x)}), aggregate ({@code COUNT(DISTINCT x) FILTER (WHERE ...)},
     * {@code ARRAY_AGG(x ORDER BY t)}, {@code PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)}),
     * window ({@code LAG(x) OVER (...)}) and the group-window markers ({@code TUMBLE(ts, ...)},
     * {@code TUMBLE_START(...)}). {@code star} is {@code COUNT(*)}. Which kind a name is, is the
     * analyzer's business.
     */
    record FunctionCall(QualifiedName name, List<Expression> arguments, boolean distinct, boolean star,
                        List<SortItem> orderBy, List<SortItem> withinGroup, Optional<Expression> filter,
                        Optional<Over> over, NodeLocation location) implements Expression {
        public FunctionCall {
            arguments = List.copyOf(arguments);
            orderBy = List.copyOf(orderBy);
            withinGroup = List.copyOf(withinGroup);
        }

        /** A plain call {@code name(args)}. */
        public static FunctionCall simple(String name, List<Expression> arguments, NodeLocation location) {
            return new FunctionCall(QualifiedName.of(name), arguments, false, false, List.of(), List.of(),
                    Optional.empty(), Optional.empty(), location);
        }

        public String simpleName() {
            return name.simpleName();
        }
    }

    /**
     * ksqlDB's lambda, an argument of TRANSFORM, FILTER or REDUCE: {@code x => x + 1},
     * {@code (k, v) => v > 0}. Its parameters name the elements the function passes in.
     */
    record Lambda(List<Identifier> parameters, Expression body, NodeLocation location) implements Expression {
        public Lambda {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code OVER (PARTITION BY ... ORDER BY ... [ROWS|RANGE frame])}. */
    record Over(List<Expression> partitionBy, List<SortItem> orderBy, Optional<WindowFrame> frame,
                NodeLocation location) implements Node {
        public Over {
            partitionBy = List.copyOf(partitionBy);
            orderBy = List.copyOf(orderBy);
        }
    }

    /** {@code ROWS BETWEEN 3 PRECEDING AND CURRENT ROW}; an unbounded bound has an empty offset. */
    record WindowFrame(String unit, FrameBound start, Optional<FrameBound> end) {
    }

    /** kind: UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING. */
    record FrameBound(String kind, Optional<Expression> offset) {
    }
}
