package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.Binary;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.scalar.TypeRules;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves names and types of one expression against a {@link Scope}, producing a typed
 * {@link Expr}. Every error points at the offending node. A {@code rewriter} lets the query
 * planner substitute whole sub-expressions first (GROUP BY keys and aggregates after grouping,
 * window bounds such as TUMBLE_START).
 */
public final class ExpressionAnalyzer {
    private final Scope scope;
    private final FunctionCatalog functions;
    private final Function<Expression, Optional<Expr>> rewriter;
    private final String clause;
    private final java.util.Map<String, Expr> lateralAliases;
    /** The arguments of the lambdas around the expression being analyzed, outermost first. */
    private final List<Lambdas.Variable> lambdaVariables = new ArrayList<>();
    private final BinaryOperators operators;
    private final FunctionCalls calls;

    public ExpressionAnalyzer(Scope scope, FunctionCatalog functions, Function<Expression, Optional<Expr>> rewriter,
                              String clause) {
        this(scope, functions, rewriter, clause, java.util.Map.of());
    }

    private ExpressionAnalyzer(Scope scope, FunctionCatalog functions, Function<Expression, Optional<Expr>> rewriter,
                               String clause, java.util.Map<String, Expr> lateralAliases) {
        this.scope = scope;
        this.functions = functions;
        this.rewriter = rewriter;
        this.clause = clause;
        this.lateralAliases = lateralAliases;
        this.operators = new BinaryOperators(this, functions, scope, clause);
        this.calls = new FunctionCalls(this, functions, clause);
    }

    /**
     * The same analyzer, where a name that is no input column may name an earlier SELECT item by its
     * alias (Snowflake's lateral column aliases: {@code a / b AS cv, CASE WHEN cv < 0.1 ...}).
     * {@code aliases} (lower-case alias to expression) may keep growing while the list is analyzed.
     */
    ExpressionAnalyzer withLateralAliases(java.util.Map<String, Expr> aliases) {
        return new ExpressionAnalyzer(scope, functions, rewriter, clause, aliases);
    }

    public ExpressionAnalyzer(Scope scope, FunctionCatalog functions, String clause) {
        this(scope, functions, e -> Optional.empty(), clause);
    }

    public Expr analyze(Expression e) {
        Optional<Expr> rewritten = rewriter.apply(e);
        if (rewritten.isPresent()) {
            return rewritten.get();
        }
        if (e instanceof Expression.StringLiteral s) {
            return new Expr.Literal(s.value(), ScalarType.VARCHAR);
        }
        if (e instanceof Expression.NumericLiteral n) {
            if (functions.ksqlDialect()) {
                KsqlLiterals.checkRange(n, false, n.location());
            }
            return Literals.numeric(n);
        }
        if (e instanceof Expression.BooleanLiteral b) {
            return new Expr.Literal(b.value(), ScalarType.BOOLEAN);
        }
        if (e instanceof Expression.NullLiteral) {
            return new Expr.Literal(null, ScalarType.NULL);
        }
        if (e instanceof Expression.IntervalLiteral i) {
            return new Expr.Literal(Intervals.millis(i), ScalarType.INTERVAL);
        }
        if (e instanceof Expression.TypedLiteral t) {
            return Literals.typed(t);
        }
        if (e instanceof Expression.ColumnRef ref) {
            return column(ref);
        }
        if (e instanceof Binary b) {
            return operators.binary(b);
        }
        if (e instanceof Expression.Not n) {
            return call("NOT", List.of(bool(n.value(), "NOT")), n.location());
        }
        if (e instanceof Expression.Negate n) {
            if (functions.ksqlDialect() && n.value() instanceof Expression.NumericLiteral literal) {
                return KsqlLiterals.negative(literal, n.location()); // ksqlDB reads -5 as one literal
            }
            Expr v = analyze(n.value());
            if (v instanceof Expr.Literal l && l.value() instanceof Number) {
                return Literals.negate(l);
            }
            return call("NEGATE", List.of(v), n.location());
        }
        if (e instanceof Expression.IsNull n) {
            return call(n.negated() ? "IS NOT NULL" : "IS NULL", List.of(analyze(n.value())), n.location());
        }
        if (e instanceof Expression.IsBoolean b) {
            String name = "IS " + (b.negated() ? "NOT " : "") + (b.expected() ? "TRUE" : "FALSE");
            return call(name, List.of(analyze(b.value())), b.location());
        }
        if (e instanceof Expression.Between b) {
            Expr between = call("BETWEEN", List.of(analyze(b.value()), operators.timeOperand(b.low(), b.value()),
                            operators.timeOperand(b.high(), b.value())), b.location());
            return b.negated() ? call("NOT", List.of(between), b.location()) : between;
        }
        if (e instanceof Expression.InList in) {
            List<Expr> args = new ArrayList<>();
            args.add(analyze(in.value()));
            in.list().forEach(x -> args.add(analyze(x)));
            Expr result = call("IN", functions.ksqlDialect() ? ksqlInList(in, args) : args, in.location());
            return in.negated() ? call("NOT", List.of(result), in.location()) : result;
        }
        if (e instanceof Expression.Like like) {
            List<Expr> args = new ArrayList<>(List.of(analyze(like.value()), analyze(like.pattern())));
            like.escape().ifPresent(x -> args.add(analyze(x)));
            Expr result = call(like.caseInsensitive() ? "ILIKE" : "LIKE", args, like.location());
            return like.negated() ? call("NOT", List.of(result), like.location()) : result;
        }
        if (e instanceof Expression.Case c) {
            return caseExpression(c);
        }
        if (e instanceof Expression.Cast c) {
            Expr value = analyze(c.value());
            if (functions.ksqlDialect() && value.type() == ScalarType.TIMESTAMP
                    && TypeResolver.resolve(c.type()) == ScalarType.VARCHAR) {
                // ksqlDB's text of a TIMESTAMP (SqlTimeTypes.formatTimestamp): ISO-8601 in UTC, with milliseconds
                return call("FORMAT_TIMESTAMP", List.of(value, new Expr.Literal("yyyy-MM-dd'T'HH:mm:ss.SSS",
                        ScalarType.VARCHAR)), c.location());
            }
            if (functions.ksqlDialect() && value.type() == ScalarType.TIME
                    && TypeResolver.resolve(c.type()) == ScalarType.VARCHAR) {
                // ksqlDB's text of a TIME (SqlTimeTypes.formatTime): whole seconds, 00:01 for a whole minute
                return call("SLUICE_KSQL_TIME_TEXT", List.of(value), c.location());
            }
            // ksqlDB's CAST of a value that does not convert ('foo' AS DATE) is NULL, as Sluice's TRY_CAST
            return cast(value, unconstrainedNumeric(c.type(), value.type()).orElseGet(() -> TypeResolver.resolve(c.type())),
                    c.safe() || functions.ksqlDialect(), c.location());
        }
        if (e instanceof Expression.Extract x) {
            return call("EXTRACT", List.of(new Expr.Literal(x.field().toUpperCase(Locale.ROOT), ScalarType.VARCHAR),
                    analyze(x.value())), x.location());
        }
        if (e instanceof FunctionCall f) {
            return calls.function(f);
        }
        if (e instanceof Expression.Lambda l) {
            throw new SqlException(l.location(), "a lambda is only allowed as an argument of TRANSFORM, FILTER or REDUCE");
        }
        if (e instanceof Expression.Subscript s) {
            return call("SUBSCRIPT", List.of(analyze(s.base()), analyze(s.index())), s.location());
        }
        if (e instanceof Expression.Dereference d) {
            return field(analyze(d.base()), d.field());
        }
        if (e instanceof Expression.JsonAccess j) {
            // ksqlDB's struct field access: `expr->FIELD` where expr is a struct (a column's
            // `col->f` resolves as a column path before it gets here).
            if (!j.asText() && j.key() instanceof Expression.ColumnRef ref && ref.parts().size() == 1) {
                Expr base = analyze(j.base());
                if (base.type() instanceof StructType) {
                    return field(base, ref.parts().get(0));
                }
            }
            return call(j.asText() ? "->>" : "->", List.of(analyze(j.base()), analyze(j.key())), j.location());
        }
        if (e instanceof Expression.VariantPath v) {
            List<Expr> args = new ArrayList<>();
            args.add(analyze(v.base()));
            v.path().forEach(p -> args.add(new Expr.Literal(p, ScalarType.VARCHAR)));
            return call("VARIANT_GET", args, v.location());
        }
        if (e instanceof Expression.ArrayConstructor a) {
            List<Expr> elements = a.elements().stream().map(this::analyze).toList();
            if (functions.ksqlDialect()) {
                KsqlWords.constructor("ARRAY", List.of(), elements, a.location());
                List<KsqlUserLists.Item> items = KsqlUserLists.items(a.elements(), elements);
                SqlType element = new KsqlUserLists(this, "").commonType(items).orElseThrow();
                return new Expr.Call("ARRAY", KsqlUserLists.convert(items, element), new dev.sluice.serdes.row.ArrayType(element));
            }
            SqlType element = commonType(elements, a.location(), "ARRAY elements");
            return new Expr.Call("ARRAY", elements.stream().map(x -> coerce(x, element)).toList(),
                    new dev.sluice.serdes.row.ArrayType(element));
        }
        if (e instanceof Expression.StructConstructor c) {
            List<Expr> values = c.values().stream().map(this::analyze).toList();
            List<dev.sluice.serdes.row.Column> fields = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                fields.add(new dev.sluice.serdes.row.Column(c.names().get(i).value(), values.get(i).type(), true));
            }
            StructType struct = new StructType(fields);
            KsqlTypeWords.distinctFields(struct, c);
            return new Expr.Call("STRUCT", values, struct);
        }
        if (e instanceof Expression.MapConstructor m) {
            List<Expr> keys = m.keys().stream().map(this::analyze).toList();
            List<Expr> values = m.values().stream().map(this::analyze).toList();
            SqlType keyType;
            SqlType valueType;
            if (functions.ksqlDialect()) {
                KsqlWords.constructor("MAP", keys, values, m.location());
                List<KsqlUserLists.Item> keyItems = KsqlUserLists.items(m.keys(), keys);
                List<KsqlUserLists.Item> valueItems = KsqlUserLists.items(m.values(), values);
                keyType = new KsqlUserLists(this, "").commonType(keyItems).orElseThrow();
                valueType = new KsqlUserLists(this, "").commonType(valueItems).orElseThrow();
                keys = KsqlUserLists.convert(keyItems, keyType);
                values = KsqlUserLists.convert(valueItems, valueType);
            } else {
                keyType = commonType(keys, m.location(), "MAP keys");
                valueType = commonType(values, m.location(), "MAP values");
            }
            List<Expr> entries = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                entries.add(coerce(keys.get(i), keyType));
                entries.add(coerce(values.get(i), valueType));
            }
            return new Expr.Call("MAP", entries, new dev.sluice.serdes.row.MapType(keyType, valueType));
        }
        if (e instanceof Expression.Parameter p) {
            throw new SqlException(p.location(), "bind parameter :" + p.name() + " has no value",
                    "persistent queries cannot take parameters; write the value into the query");
        }
        throw new SqlException(e.location(), "not supported yet: " + describe(e) + " in " + clause);
    }

    /**
     * ksqlDB's IN ({@code InListEvaluator.preprocess}): NULL literals in the list never match and are
     * dropped, and the tested value and the items are brought to one type by {@link KsqlUserLists}.
     */
    private List<Expr> ksqlInList(Expression.InList in, List<Expr> args) {
        List<Expression> asts = new ArrayList<>();
        List<Expr> exprs = new ArrayList<>();
        asts.add(in.value());
        exprs.add(args.get(0));
        for (int i = 0; i < in.list().size(); i++) {
            if (!(in.list().get(i) instanceof Expression.NullLiteral)) {
                asts.add(in.list().get(i));
                exprs.add(args.get(i + 1));
            }
        }
        if (asts.size() < 2) {
            return args;
        }
        List<KsqlUserLists.Item> items = KsqlUserLists.items(asts, exprs);
        Optional<SqlType> common = new KsqlUserLists(this, "Invalid Predicate: ").commonType(items);
        return common.isEmpty() ? args : KsqlUserLists.convert(items, common.get());
    }

    /** Whether the expression being analyzed is inside a lambda's body. */
    boolean inLambda() {
        return !lambdaVariables.isEmpty();
    }

    /** Analyzes a lambda's body with its arguments in scope (they shadow columns of the same name). */
    Expr inLambda(List<Identifier> parameters, List<SqlType> types, Expression body) {
        int before = lambdaVariables.size();
        for (int i = 0; i < parameters.size(); i++) {
            lambdaVariables.add(new Lambdas.Variable(parameters.get(i), before + i, types.get(i)));
        }
        try {
            return analyze(body);
        } finally {
            lambdaVariables.subList(before, lambdaVariables.size()).clear();
        }
    }

    private Optional<Expr> lambdaVariable(Identifier name) {
        for (int i = lambdaVariables.size() - 1; i >= 0; i--) {
            Lambdas.Variable v = lambdaVariables.get(i);
            if (v.name().value().equalsIgnoreCase(name.value())) {
                return Optional.of(new Expr.Call("LAMBDA_VAR", List.of(new Expr.Literal(v.slot(), ScalarType.INTEGER),
                        new Expr.Literal(lambdaVariables.size(), ScalarType.INTEGER)), v.type()));
            }
        }
        return Optional.empty();
    }

    /** Analyzes a condition and checks that it is BOOLEAN. */
    public Expr condition(Expression e) {
        return bool(e, clause);
    }

    /** Analyzes {@code e} and checks that it is BOOLEAN; {@code where} names the place for the error. */
    Expr bool(Expression e, String where) {
        Expr x = analyze(e);
        if (x.type() != ScalarType.BOOLEAN && x.type() != ScalarType.NULL && functions.ksqlDialect()
                && (where.equals("WHERE") || where.equals("HAVING"))) {
            throw KsqlTypeWords.notBoolean(where, e, x.type(), KsqlTypeWords.columns(scope));
        }
        if (x.type() != ScalarType.BOOLEAN && x.type() != ScalarType.NULL) {
            throw new SqlException(e.location(), where + " needs a BOOLEAN condition, got " + x.type().sql());
        }
        return x;
    }

    private Expr column(Expression.ColumnRef ref) {
        List<Identifier> parts = ref.parts();
        Optional<Expr> variable = lambdaVariable(parts.get(0));
        if (variable.isPresent()) {
            return fields(variable.get(), parts.subList(1, parts.size()));
        }
        // `alias.column[.field...]` when the first part names a relation, else `column[.field...]`.
        if (parts.size() > 1 && scope.hasRelation(parts.get(0).value())) {
            Optional<String> relation = Optional.of(parts.get(0).value());
            ScopeColumn c = find(relation, parts.get(1))
                    .orElseThrow(() -> unknownColumn(ref, relation, parts.get(1)));
            return fields(new Expr.InputRef(c.index(), c.type()), parts.subList(2, parts.size()));
        }
        Optional<ScopeColumn> c = find(Optional.empty(), parts.get(0));
        if (c.isEmpty() && parts.size() == 1 && lateralAliases.containsKey(parts.get(0).value().toLowerCase(Locale.ROOT))) {
            return lateralAliases.get(parts.get(0).value().toLowerCase(Locale.ROOT));
        }
        if (c.isEmpty()) {
            if (parts.size() > 1) {
                String hint = Suggestions.hint(parts.get(0).value(), scope.columns().stream()
                        .map(x -> x.relation().orElse(x.name())).distinct().toList());
                throw functions.ksqlDialect() ? KsqlWords.unknownRelation(parts.get(0), hint)
                        : new SqlException(parts.get(0).location(), "unknown relation or column `"
                        + parts.get(0).value() + "`", hint);
            }
            throw unknownColumn(ref, Optional.empty(), parts.get(0));
        }
        return fields(new Expr.InputRef(c.get().index(), c.get().type()), parts.subList(1, parts.size()));
    }

    /** {@link Scope#find}, with ksqlDB's words for an ambiguous name in the ksqlDB dialect. */
    private Optional<ScopeColumn> find(Optional<String> relation, Identifier name) {
        if (functions.ksqlDialect()) {
            List<ScopeColumn> matches = scope.matches(relation, name);
            if (matches.size() > 1) {
                throw KsqlWords.ambiguous(name, matches);
            }
        }
        return scope.find(relation, name);
    }

    private SqlException unknownColumn(Expression.ColumnRef ref, Optional<String> relation, Identifier name) {
        SqlException sluice = scope.unknownColumn(ref, relation, name);
        return functions.ksqlDialect() ? KsqlWords.unresolved(clause, ref, sluice) : sluice;
    }

    private Expr fields(Expr base, List<Identifier> path) {
        Expr current = base;
        for (Identifier f : path) {
            current = field(current, f);
        }
        return current;
    }

    private Expr field(Expr base, Identifier name) {
        if (base.type() instanceof StructType st) {
            for (int i = 0; i < st.fields().size(); i++) {
                if (st.fields().get(i).name().equalsIgnoreCase(name.value())) {
                    return new Expr.Call("FIELD", List.of(base, new Expr.Literal(i, ScalarType.INTEGER)),
                            st.fields().get(i).type());
                }
            }
            throw new SqlException(name.location(), "struct has no field `" + name.value() + "`",
                    Suggestions.hint(name.value(), st.fields().stream().map(f -> f.name()).toList()));
        }
        if (base.type() == ScalarType.VARIANT || base.type() == ScalarType.VARCHAR) {
            return call("VARIANT_GET", List.of(base, new Expr.Literal(name.value(), ScalarType.VARCHAR)), name.location());
        }
        throw new SqlException(name.location(), "cannot read field `" + name.value() + "` of a " + base.type().sql());
    }

    private Expr caseExpression(Expression.Case c) {
        List<Expr> conditions = new ArrayList<>();
        List<Expr> results = new ArrayList<>();
        Optional<Expr> operand = c.operand().map(this::analyze);
        for (Expression.WhenClause w : c.whens()) {
            if (operand.isPresent()) {
                conditions.add(call("=", List.of(operand.get(), analyze(w.condition())), w.condition().location()));
            } else {
                conditions.add(bool(w.condition(), "CASE WHEN"));
            }
            results.add(analyze(w.result()));
        }
        Optional<Expr> otherwise = c.otherwise().map(this::analyze);
        List<Expr> all = new ArrayList<>(results);
        otherwise.ifPresent(all::add);
        if (functions.ksqlDialect()) {
            KsqlTypeWords.caseType(all, c);
        }
        SqlType type = commonType(all, c.location(), "CASE branches");
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            args.add(conditions.get(i));
            args.add(coerce(results.get(i), type));
        }
        otherwise.ifPresent(o -> args.add(coerce(o, type)));
        return new Expr.Call("CASE", args, type);
    }

    /** Resolves a scalar function or operator; unknown names get a suggestion. */
    public Expr call(String name, List<Expr> args, NodeLocation location) {
        return calls.call(name, args, location);
    }

    /**
     * PostgreSQL's {@code NUMERIC} without precision ({@code AVG(x)::numeric}) is unconstrained: it
     * keeps a decimal as it is, an integer exactly, and a double to 15 significant digits, where
     * Flink's DECIMAL without precision would be DECIMAL(10, 0) and cut the fraction off.
     */
    private static Optional<SqlType> unconstrainedNumeric(dev.sluice.grammar.ast.TypeSpec type, SqlType from) {
        if (!(type instanceof dev.sluice.grammar.ast.TypeSpec.Named n) || !n.parameters().isEmpty()
                || !n.name().equalsIgnoreCase("NUMERIC")) {
            return Optional.empty();
        }
        if (from instanceof dev.sluice.serdes.row.DecimalType) {
            return Optional.of(from);
        }
        if (from == ScalarType.INTEGER) {
            return Optional.of(new dev.sluice.serdes.row.DecimalType(10, 0));
        }
        if (from == ScalarType.BIGINT) {
            return Optional.of(new dev.sluice.serdes.row.DecimalType(19, 0));
        }
        if (from == ScalarType.DOUBLE) {
            return Optional.of(new dev.sluice.serdes.row.DecimalType(38, 15));
        }
        return Optional.empty();
    }

    Expr cast(Expr value, SqlType target, boolean safe, NodeLocation location) {
        if (value.type().equals(target)) {
            return value;
        }
        if (!TypeRules.canCast(value.type(), target, functions.ksqlDialect())) {
            throw functions.ksqlDialect() ? KsqlWords.cannotCast(clause, value.type(), target, location)
                    : new SqlException(location, "cannot cast " + value.type().sql() + " to " + target.sql());
        }
        return new Expr.Call(safe ? "TRY_CAST" : "CAST", List.of(value), target);
    }

    /** Implicit widening (INTEGER to BIGINT, NULL to anything) to a type computed by {@link #commonType}. */
    public static Expr coerce(Expr value, SqlType target) {
        if (value.type().equals(target)) {
            return value;
        }
        if (value instanceof Expr.Literal l && l.value() == null) {
            return new Expr.Literal(null, target);
        }
        return new Expr.Call("CAST", List.of(value), target);
    }

    public static SqlType commonType(List<Expr> exprs, NodeLocation location, String what) {
        SqlType type = ScalarType.NULL;
        for (Expr e : exprs) {
            SqlType next = e.type();
            Optional<SqlType> common = TypeRules.commonType(type, next);
            if (common.isEmpty()) {
                throw new SqlException(location, what + " have incompatible types " + type.sql() + " and " + next.sql());
            }
            type = common.get();
        }
        return type;
    }

    static String describe(Expression e) {
        String n = e.getClass().getSimpleName();
        return switch (n) {
            case "InSubquery", "Exists", "ScalarSubquery" -> "sub-queries in expressions";
            case "ArrayConstructor" -> "array constructors";
            default -> n;
        };
    }
}
