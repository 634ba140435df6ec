package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.JoinWithin;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinTiming;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plans JOINs, left-deep, into stream-table, stream-stream (interval) and table-table joins.
 *
 * <p>Kafka Streams joins records with equal keys in one task, so each side must be keyed by the
 * join key and partitioned alike. A side that is not keyed by it is re-keyed by a {@link RekeyStep}
 * (its own repartition topic, named after the side: a self-join's two sides get two). A table is
 * keyed by its PRIMARY KEY; a stream read from a topic is keyed by nothing, so it is always
 * re-keyed. Kafka Streams sizes the repartition topic like the table it meets, which is how Sluice
 * co-partitions automatically.
 *
 * <p>A NULL key never equals anything. Rows whose key has a NULL part are filtered out before the
 * repartition topic; for a LEFT (or FULL) join they are padded with NULLs for the other side
 * instead and added to the output, as Flink and ksqlDB do.
 */
final class JoinPlanner {
    private final QueryPlanner planner;
    private final FunctionCatalog functions;
    private final StepNames names;

    /** "Forever" for a regular inner join's bounds (see {@link StreamStreamJoinStep#FOREVER_MS}). */
    static final long UNBOUNDED_MS = StreamStreamJoinStep.FOREVER_MS;

    JoinPlanner(QueryPlanner planner, FunctionCatalog functions, StepNames names) {
        this.planner = planner;
        this.functions = functions;
        this.names = names;
    }

    /**
     * A planned join input: its step and scope, the expressions (over its row) its records are keyed
     * by, if known, and a label for naming the steps built for it (its alias).
     */
    private record Side(Step step, Scope scope, Optional<List<Expr>> key, String label, KsqlJoinKey ksql) {
        Side(Step step, Scope scope, Optional<List<Expr>> key, String label) {
            this(step, scope, key, label, KsqlJoinKey.NONE);
        }

        Side withKsql(KsqlJoinKey k) {
            return new Side(step, scope, key, label, k);
        }

        boolean isTable() {
            return step.shape() == Step.Shape.TABLE;
        }
    }

    PlannedRelation plan(Relation.Join join, boolean needsRowtime) {
        Side planned = planJoin(join, needsRowtime);
        if (planner.dialect() != dev.sluice.compiler.catalog.Dialect.KSQL || planned.ksql() == KsqlJoinKey.NONE) {
            return new PlannedRelation(planned.step(), planned.scope());
        }
        if (planned.ksql().synthetic().isEmpty()) {
            return new PlannedRelation(planned.step(), planned.scope(), Optional.empty(), Optional.of(planned.ksql()));
        }
        return KsqlJoins.withSyntheticKey(planned.step(), planned.scope(), planned.ksql(), names.name("join-key"));
    }

    private Side side(Relation relation, boolean needsRowtime) {
        if (relation instanceof Relation.Join j) {
            return planJoin(j, needsRowtime);
        }
        PlannedRelation p = planner.relation(relation, needsRowtime);
        if (p.windowTvf().isPresent()) {
            // Flink's window join: both sides' rows per window, joined on window_start and window_end.
            p = WindowTvfPlanner.materialize(p, relation, names);
        }
        return new Side(p.step(), p.scope(), keyOf(p.step()), StepNames.sanitize(label(relation)));
    }

    private Side planJoin(Relation.Join join, boolean needsRowtime) {
        if (join.type() == Relation.JoinType.CROSS || join.condition().isEmpty()) {
            throw new SqlException(join.location(), "not supported yet: CROSS JOIN",
                    "a streaming join needs an ON condition with an equality between the two sides");
        }
        if (join.right() instanceof Relation.TemporalTable temporal) {
            Side left = side(join.left(), needsRowtime);
            Side table = side(new Relation.Table(temporal.name(), temporal.alias(), temporal.location()), needsRowtime);
            Relation.Join plain = LookupJoins.asTableJoin(join, temporal, left.scope(), table.isTable(), functions);
            return planSides(plain, left, table);
        }
        if (join.type() == Relation.JoinType.RIGHT) {
            // a RIGHT JOIN b is b LEFT JOIN a with the columns back in a, b order. A WITHIN (ksqlDB's)
            // applies as written to the swapped join, as ksqlDB's StreamStreamJoinBuilder passes the
            // same JoinWindows to b.leftJoin(a): its bounds are measured from b's rows.
            Side left = side(join.left(), needsRowtime);
            Side right = side(join.right(), needsRowtime);
            ksqlChecks(join, left, right);
            Side swapped = planSides(new Relation.Join(Relation.JoinType.LEFT, join.right(), join.left(),
                    join.condition(), join.within(), join.location()), right, left);
            return withKsqlKey(unswap(swapped, right.scope().size(), ksqlKeyColumns(join, right, left)), join, left, right);
        }
        Side left = side(join.left(), needsRowtime);
        Side right = side(join.right(), needsRowtime);
        ksqlChecks(join, left, right);
        return withKsqlKey(planSides(join, left, right), join, left, right);
    }

    /** In ksqlDB's dialect, what ksqlDB refuses in a join is refused with its words ({@link KsqlJoinChecks}). */
    private void ksqlChecks(Relation.Join join, Side left, Side right) {
        if (planner.dialect() != dev.sluice.compiler.catalog.Dialect.KSQL || join.condition().isEmpty()) {
            return;
        }
        KsqlJoinChecks.condition(join, left.scope(), right.scope());
        KsqlWindowedJoins.check(join, planner.catalog());
        if (left.isTable() && !right.isTable()) {
            KsqlJoinChecks.tableStream(join, left.scope(), right.scope()).ifPresent(e -> {
                throw e;
            });
        }
        if (!left.isTable() && right.isTable() && join.type() == Relation.JoinType.FULL) {
            KsqlJoinChecks.streamTableFull(join, left.scope(), right.scope()).ifPresent(e -> {
                throw e;
            });
        }
        if (left.isTable() && right.isTable()) {
            KsqlJoinChecks.keyTypes(join, left.scope(), right.scope(), functions);
            JoinCondition on = JoinCondition.analyze(join.condition().get(), left.scope(), right.scope(), functions);
            if (join.type() == Relation.JoinType.RIGHT && left.key().isPresent()
                    && !left.key().get().equals(on.leftKeys().stream().map(KsqlJoinKey::uncast).toList())) {
                throw new SqlException(join.location(), "RIGHT OUTER JOIN on a foreign key is not supported",
                        "a foreign-key join keeps the left table's rows: use INNER or LEFT JOIN");
            }
        }
    }

    /** In ksqlDB's dialect, the joined side with ksqlDB's join key ({@link KsqlJoinKey}). */
    private Side withKsqlKey(Side joined, Relation.Join join, Side left, Side right) {
        if (planner.dialect() != dev.sluice.compiler.catalog.Dialect.KSQL || join.condition().isEmpty()) {
            return joined;
        }
        Optional<List<Expr>> leftTableKey = left.isTable() && right.isTable() ? left.key() : Optional.empty();
        return KsqlJoins.key(join, left.scope(), right.scope(), leftTableKey, left.ksql(), right.ksql(),
                joined.scope(), functions).map(joined::withKsql).orElse(joined);
    }

    private Side planSides(Relation.Join join, Side left, Side right) {
        JoinType type = switch (join.type()) {
            case LEFT -> JoinType.LEFT;
            case FULL -> JoinType.FULL;
            default -> JoinType.INNER;
        };
        JoinCondition on = JoinCondition.analyze(join.condition().get(), left.scope(), right.scope(), functions);
        if (on.leftKeys().isEmpty()) {
            SqlException e = new SqlException(join.condition().get().location(), "the join condition has no equality "
                    + "between columns of `" + left.label() + "` and `" + right.label() + "`",
                    "Kafka Streams joins records by key: add e.g. " + left.label() + ".id = " + right.label() + ".id");
            throw ksql() ? KsqlJoinWords.constantSide(join.condition().get(), e).orElse(e) : e;
        }
        String name = names.name("join-" + right.label());
        Scope scope = left.scope().concat(right.scope());
        if (ksql() && KsqlWindowedJoinKeys.window(left.step()).isPresent()
                && KsqlWindowedJoinKeys.window(right.step()).isPresent()) {
            scope = KsqlWindowedJoinKeys.showBounds(scope); // ksqlDB's SELECT * of a windowed join lists them
        }
        if (!left.isTable() && right.isTable()) {
            return streamTable(join, name, type, left, right, on, scope);
        }
        if (!left.isTable()) {
            return streamStream(join, name, type, left, right, on, scope);
        }
        if (right.isTable()) {
            return tableTable(join, name, type, left, right, on, scope);
        }
        SqlException tableStream = new SqlException(join.location(), "not supported yet: a table joined with a stream",
                "put the stream first: FROM " + right.label() + " JOIN " + left.label());
        throw ksql() ? KsqlJoinWords.tableStream(join, left.label(), right.label(), tableStream) : tableStream;
    }

    private Side streamTable(Relation.Join join, String name, JoinType type, Side left, Side right,
                             JoinCondition on, Scope scope) {
        if (type == JoinType.FULL) {
            SqlException full = new SqlException(join.location(), "a stream cannot FULL JOIN a table",
                    "a table row without a stream match has no time to be emitted at; use LEFT JOIN");
            throw ksql() ? KsqlJoinWords.fullStreamTable(left.label(), right.label(), full) : full;
        }
        noTimeBounds(join, on, "stream-table");
        on = keyedOnRight(left, right, on);
        List<Expr> leftKey = alignToKey(join, left, right, on);
        Residual residual = residual(join, type, left, on);
        Step rightStep = residual.rightOnly().map(p -> (Step) new FilterStep(names.name(right.label() + "-on"),
                right.step(), p)).orElse(right.step());
        Schema schema = scope.schema();
        if (right.step() instanceof TableSourceStep t && t.global()) {
            if (residual.rightOnly().isPresent()) {
                throw new SqlException(join.condition().get().location(), "not supported yet: a LEFT JOIN condition "
                        + "on a global table's columns alone", "move it to WHERE, or drop 'lookup' = 'global'");
            }
            // A GlobalKTable is fully replicated in every task: the stream is looked up as it is,
            // without re-keying or repartitioning.
            Step joined = new StreamTableJoinStep(name, left.step(), rightStep, type, leftKey, schema);
            return finish(residual, joined, scope, left.key(), name, right.label());
        }
        Keyed keyed = keyBy(join, left, leftKey, right, type, name, false);
        Step joined = new StreamTableJoinStep(name, keyed.step(), rightStep, type, List.of(), schema);
        return finish(residual, withNullKeyRows(joined, keyed, null, scope, name), scope,
                keyed.nullKeyRows().isEmpty() ? Optional.of(leftKey) : Optional.empty(), name, right.label());
    }

    private Side streamStream(Relation.Join join, String name, JoinType type, Side left, Side right,
                              JoinCondition on, Scope scope) {
        long before;
        long after;
        boolean regular = false;
        Optional<JoinWithin> within = join.within();
        java.util.OptionalLong windowSpan = WindowTvfPlanner.windowJoinSpan(left.step(), left.scope(), on.leftKeys(),
                right.step(), right.scope(), on.rightKeys());
        if (within.isPresent()) {
            if (on.bounds().isPresent()) {
                throw new SqlException(within.get().location(), "the join has both WITHIN and a time condition in ON",
                        "keep one of them");
            }
            before = Intervals.millis(within.get().before());
            after = Intervals.millis(within.get().after());
        } else if (on.bounds().isPresent()) {
            before = on.bounds().get().beforeMs();
            after = on.bounds().get().afterMs();
        } else if (windowSpan.isPresent()) {
            // Flink's window join: equal window bounds put both rows in one window, so their event
            // times lie less than the window's length apart. As an interval join its state is
            // bounded by the window, an outer row is padded when the window closes, and a row
            // arriving after its window closed is dropped, as Flink's window join does.
            before = windowSpan.getAsLong() - 1;
            after = windowSpan.getAsLong() - 1;
        } else {
            // A regular join (Flink's meaning of a join without time bounds): every row waits for
            // matches for the state TTL, in event time either way, or for good. An outer one emits
            // NULL-padded rows at once and deletes them when a match arrives (a changelog).
            regular = true;
            long ttl = planner.stateTtlMs() > 0 ? planner.stateTtlMs() : (type == JoinType.INNER ? UNBOUNDED_MS : 0);
            before = ttl;
            after = ttl;
        }
        // Without GRACE PERIOD, ksqlDB's join keeps Kafka Streams' legacy windows (its
        // StreamStreamJoinBuilder calls JoinWindows.of): 24 h less twice the interval of grace, outer
        // rows padded at once. With one, Kafka Streams' grace-aware windows, which still join (or
        // pad) a record arriving after its window closed. Flink SQL's tolerance is the inputs'
        // watermark delay, and it drops a late record.
        boolean ksql = planner.dialect() == dev.sluice.compiler.catalog.Dialect.KSQL;
        Optional<Long> given = within.flatMap(JoinWithin::grace).map(Intervals::millis);
        long grace = given.orElseGet(() -> ksql
                ? Math.max(dev.sluice.runtime.plan.WindowSpec.KSQL_DEFAULT_GRACE_MS - 2 * Math.max(0, before), 0)
                : Math.max(left.scope().watermarkDelayMs().orElse(0), right.scope().watermarkDelayMs().orElse(0)));
        JoinTiming timing = !ksql || regular ? JoinTiming.DROP_LATE
                : given.isPresent() ? JoinTiming.PAD_LATE : JoinTiming.PAD_AT_ONCE;
        Residual residual = residual(join, type, left, on);
        Side rightSide = residual.rightOnly().map(p -> new Side(new FilterStep(names.name(right.label() + "-on"),
                right.step(), p), right.scope(), right.key(), right.label())).orElse(right);
        boolean retracting = regular && type != JoinType.INNER;
        List<Expr> leftKeys = on.leftKeys();
        List<Expr> rightKeys = on.rightKeys();
        var leftWindow = KsqlWindowedJoinKeys.window(left.step());
        var rightWindow = KsqlWindowedJoinKeys.window(right.step());
        if (ksql && leftWindow.isPresent() && rightWindow.isPresent()) {
            // ksqlDB matches windowed sources' whole keys: the window too (KsqlWindowedJoinKeys)
            leftKeys = KsqlWindowedJoinKeys.withWindow(leftKeys, left.scope(), leftWindow.get());
            rightKeys = KsqlWindowedJoinKeys.withWindow(rightKeys, right.scope(), rightWindow.get());
        }
        // A retracting join pads rows with a NULL key part itself (they reach it, and match nothing).
        Keyed l = keyBy(join, left, leftKeys, right, type, name, retracting);
        Keyed r = keyBy(join, rightSide, rightKeys, left,
                type == JoinType.FULL ? JoinType.FULL : JoinType.INNER, name, retracting && type == JoinType.FULL);
        // ksqlDB keeps Kafka Streams' stamp, the later of the two rows' timestamps.
        int leftRowtime = planner.dialect() == dev.sluice.compiler.catalog.Dialect.KSQL ? -1
                : left.scope().rowtimeColumn().orElse(-1);
        int rightRowtime = right.scope().rowtimeColumn().isPresent() && leftRowtime >= 0
                ? left.scope().size() + right.scope().rowtimeColumn().getAsInt() : -1;
        Step joined = new StreamStreamJoinStep(name, l.step(), r.step(), type, before, after, grace,
                leftRowtime, rightRowtime, scope.schema(), regular, timing);
        Step withNulls = withNullKeyRows(joined, l, r, scope, name);
        boolean clean = l.nullKeyRows().isEmpty() && r.nullKeyRows().isEmpty() && !retracting;
        return finish(residual, withNulls, scope, clean ? Optional.of(leftKeys) : Optional.empty(), name,
                right.label());
    }

    private Side tableTable(Relation.Join join, String name, JoinType type, Side left, Side right,
                            JoinCondition on, Scope scope) {
        noTimeBounds(join, on, "table-table");
        on = keyedOnRight(left, right, on);
        List<Expr> leftKey = alignToKey(join, left, right, on);
        // Joined on the left table's own key: a primary-key join; on other left columns: a
        // foreign-key join (Kafka Streams repartitions both sides through subscription topics).
        boolean byKey = left.key().isPresent() && left.key().get().equals(leftKey);
        if (!byKey && ksql() && (join.left() instanceof Relation.Join || join.right() instanceof Relation.Join)
                && join.condition().get() instanceof dev.sluice.grammar.ast.Expression.Binary b) {
            // ksqlDB's JoinTree plans a foreign-key join of two sources only
            Scope joined = left.scope().concat(right.scope());
            throw new SqlException(join.condition().get().location(), "Invalid join condition: foreign-key "
                    + "table-table joins are not supported as part of n-way joins. Got "
                    + KsqlJoinChecks.text(b.left(), joined) + " = " + KsqlJoinChecks.text(b.right(), joined) + ".",
                    "join the tables on their keys, or write the foreign-key join as its own query");
        }
        if (!byKey && type == JoinType.FULL) {
            throw new SqlException(join.condition().get().location(), "a foreign-key join cannot be FULL: `"
                    + left.label() + "` is not joined on its own key", "use INNER or LEFT JOIN");
        }
        Residual residual = residual(join, type, left, on);
        Step rightStep = residual.rightOnly().map(p -> (Step) new FilterStep(names.name(right.label() + "-on"),
                right.step(), p)).orElse(right.step());
        if (type == JoinType.FULL && residual.rightOnly().isPresent()) {
            throw new SqlException(join.condition().get().location(),
                    "not supported yet: a FULL JOIN condition beyond key equalities");
        }
        Step joined = new TableTableJoinStep(name, left.step(), rightStep, type, byKey ? List.of() : leftKey,
                scope.schema());
        return finish(residual, joined, scope, left.key(), name, right.label());
    }

    /**
     * The left key expressions, reordered to match the right side's key (a table's PRIMARY KEY).
     * Equalities beyond the key are moved to the residual: they filter what the key matched.
     */
    private List<Expr> alignToKey(Relation.Join join, Side left, Side right, JoinCondition on) {
        List<Expr> rightKey = right.key().orElseThrow(() -> new SqlException(join.location(),
                "not supported yet: joining `" + right.label() + "`, a table whose key is not known"));
        List<Expr> aligned = new ArrayList<>();
        for (Expr k : rightKey) {
            int i = on.rightKeys().indexOf(k);
            if (i < 0 && planner.dialect() == dev.sluice.compiler.catalog.Dialect.KSQL) {
                KsqlJoins.keyMismatch(join, left.scope().concat(right.scope()),
                        left.isTable() ? "table-table" : "stream-table").ifPresent(e -> {
                            throw e;
                        });
            }
            if (i < 0) {
                throw ksql() ? KsqlJoinWords.notOnKey(join, left.isTable(), keyMismatch(join, right, rightKey, on))
                        : keyMismatch(join, right, rightKey, on);
            }
            aligned.add(on.leftKeys().get(i));
        }
        return aligned;
    }

    /** {@code on} with the equalities that are not part of the right side's key moved to the residual. */
    private static JoinCondition keyedOnRight(Side left, Side right, JoinCondition on) {
        List<Expr> rightKey = right.key().orElse(List.of());
        List<Expr> residual = new ArrayList<>(on.residual());
        List<Expr> leftKeys = new ArrayList<>();
        List<Expr> rightKeys = new ArrayList<>();
        for (int i = 0; i < on.rightKeys().size(); i++) {
            Expr r = on.rightKeys().get(i);
            if (rightKey.contains(r) && !rightKeys.contains(r)) {
                leftKeys.add(on.leftKeys().get(i));
                rightKeys.add(r);
            } else {
                residual.add(new Expr.Call("=", List.of(on.leftKeys().get(i),
                        JoinCondition.shift(r, left.scope().size())), ScalarType.BOOLEAN));
            }
        }
        if (!rightKeys.containsAll(rightKey)) {
            return on; // not joined on the whole key: alignToKey reports what ON compares
        }
        return new JoinCondition(leftKeys, rightKeys, on.bounds(), residual);
    }

    private boolean ksql() {
        return planner.dialect() == dev.sluice.compiler.catalog.Dialect.KSQL;
    }

    private SqlException keyMismatch(Relation.Join join, Side right, List<Expr> rightKey, JoinCondition on) {
        String key = rightKey.stream().map(k -> describe(k, right.scope())).collect(Collectors.joining(", "));
        String got = on.rightKeys().stream().map(k -> describe(k, right.scope())).collect(Collectors.joining(", "));
        return new SqlException(join.condition().get().location(), "table `" + right.label()
                + "` can only be joined on its whole key (" + key + "), but ON compares " + got,
                "join on " + key + ", or declare the table with the PRIMARY KEY you join on");
    }

    private static String describe(Expr e, Scope scope) {
        if (e instanceof Expr.InputRef ref && ref.index() < scope.size()) {
            return scope.columns().get(ref.index()).name();
        }
        return e.toString();
    }

    private static void noTimeBounds(Relation.Join join, JoinCondition on, String kind) {
        if (on.bounds().isPresent() || join.within().isPresent()) {
            throw new SqlException(join.within().map(w -> w.location()).orElse(join.condition().get().location()),
                    "a " + kind + " join has no time bounds: a table row is matched whenever it is current",
                    "remove the time condition, or join two streams");
        }
    }

    /**
     * The ON conjuncts that are neither keys nor time bounds. For an INNER join they filter the
     * joined rows. For an outer join, filtering afterwards would drop rows that must be padded, so
     * only conditions on the right side are allowed, and they filter the right side before the join.
     */
    private record Residual(Optional<Expr> afterJoin, Optional<Expr> rightOnly) {
    }

    private Residual residual(Relation.Join join, JoinType type, Side left, JoinCondition on) {
        if (on.residual().isEmpty()) {
            return new Residual(Optional.empty(), Optional.empty());
        }
        if (type == JoinType.INNER) {
            return new Residual(Optional.of(and(on.residual())), Optional.empty());
        }
        int leftWidth = left.scope().size();
        List<Expr> rightOnly = new ArrayList<>();
        for (Expr e : on.residual()) {
            List<Integer> refs = new ArrayList<>();
            JoinCondition.collectRefs(e, refs);
            if (type == JoinType.FULL || refs.isEmpty() || refs.stream().anyMatch(i -> i < leftWidth)) {
                throw new SqlException(join.condition().get().location(), "not supported yet: a " + type
                        + " JOIN condition beyond key equalities and time bounds, except on the right side alone",
                        "move it to WHERE (which filters the joined rows), or use an INNER JOIN");
            }
            rightOnly.add(JoinCondition.shift(e, -leftWidth));
        }
        return new Residual(Optional.empty(), Optional.of(and(rightOnly)));
    }

    private static Expr and(List<Expr> conjuncts) {
        return conjuncts.size() == 1 ? conjuncts.get(0) : new Expr.Call("AND", conjuncts, ScalarType.BOOLEAN);
    }

    private Side finish(Residual residual, Step joined, Scope scope, Optional<List<Expr>> key, String name,
                        String label) {
        Step out = residual.afterJoin().map(p -> (Step) new FilterStep(name + "-on", joined, p)).orElse(joined);
        return new Side(out, scope, key, "join-" + StepNames.sanitize(label));
    }

    /** A side keyed by the join key, and (outer joins) its rows with a NULL key part, set aside. */
    private record Keyed(Step step, Optional<Step> nullKeyRows, int width) {
    }

    /**
     * Re-keys {@code side} by {@code key} unless it already is keyed so. Rows with a NULL key part
     * never reach the repartition topic: an inner side drops them, an outer side sets them aside.
     */
    private Keyed keyBy(Relation.Join join, Side side, List<Expr> key, Side other, JoinType type, String joinName,
                        boolean keepNullKeys) {
        int width = side.scope().size();
        if (side.key().isPresent() && side.key().get().equals(key)) {
            return new Keyed(side.step(), Optional.empty(), width);
        }
        if (side.isTable()) {
            throw new SqlException(join.location(), "not supported yet: re-keying table `" + side.label() + "` for a join");
        }
        String label = side.label();
        if (keepNullKeys) {
            return new Keyed(new RekeyStep(names.name(label + "-rekey"), side.step(), key,
                    new Schema(keyColumns(key, side, other))), Optional.empty(), width);
        }
        List<Expr> notNull = key.stream().map(k -> (Expr) new Expr.Call("IS NOT NULL", List.of(k), ScalarType.BOOLEAN))
                .toList();
        // An inner side's NULL-key rows can match nothing: they fail through SLUICE_JOIN_KEY and are
        // counted and dead-lettered as null_key drops. An outer side's are set aside below, not dropped.
        Expr keyNotNull = and(notNull);
        if (type == JoinType.INNER) {
            keyNotNull = new Expr.Call("SLUICE_JOIN_KEY", List.of(new Expr.Literal(label, ScalarType.VARCHAR), keyNotNull),
                    ScalarType.BOOLEAN);
        }
        Step nonNull = new FilterStep(names.name(label + "-key-not-null"), side.step(), keyNotNull);
        Step rekeyed = new RekeyStep(names.name(label + "-rekey"), nonNull, key, new Schema(keyColumns(key, side, other)));
        Optional<Step> nullRows = Optional.empty();
        if (type != JoinType.INNER) {
            List<Expr> isNull = key.stream().map(k -> (Expr) new Expr.Call("IS NULL", List.of(k), ScalarType.BOOLEAN))
                    .toList();
            nullRows = Optional.of(new FilterStep(names.name(label + "-key-null"), side.step(),
                    isNull.size() == 1 ? isNull.get(0) : new Expr.Call("OR", isNull, ScalarType.BOOLEAN)));
        }
        return new Keyed(rekeyed, nullRows, width);
    }

    private static List<Column> keyColumns(List<Expr> key, Side side, Side other) {
        List<Column> keyColumns = new ArrayList<>();
        List<Expr> otherKey = other.key().orElse(List.of());
        for (int i = 0; i < key.size(); i++) {
            String keyName = i < otherKey.size() ? describe(otherKey.get(i), other.scope()) : describe(key.get(i), side.scope());
            keyColumns.add(new Column(keyName, key.get(i).type()));
        }
        return keyColumns;
    }

    /** The join's rows plus, for outer sides, their NULL-key rows padded with NULLs for the other side. */
    private Step withNullKeyRows(Step joined, Keyed left, Keyed right, Scope scope, String joinName) {
        List<Step> inputs = new ArrayList<>();
        inputs.add(joined);
        Schema schema = scope.schema();
        int leftWidth = left.width();
        if (left.nullKeyRows().isPresent()) {
            inputs.add(pad(left.nullKeyRows().get(), 0, schema, joinName + "-left-null-key"));
        }
        if (right != null && right.nullKeyRows().isPresent()) {
            inputs.add(pad(right.nullKeyRows().get(), leftWidth, schema, joinName + "-right-null-key"));
        }
        if (inputs.size() == 1) {
            return joined;
        }
        return new UnionStep(joinName + "-with-null-keys", inputs, schema);
    }

    /** Rows of one side placed at {@code offset} in the joined row, every other column NULL. */
    private static Step pad(Step rows, int offset, Schema joined, String name) {
        int width = rows.schema().size();
        List<Expr> columns = new ArrayList<>();
        for (int i = 0; i < joined.size(); i++) {
            boolean own = i >= offset && i < offset + width;
            columns.add(own ? new Expr.InputRef(i - offset, joined.type(i)) : new Expr.Literal(null, joined.type(i)));
        }
        return new ProjectStep(name, rows, columns, joined);
    }

    /** A swapped join's row (right columns first, {@code rightWidth} of them) reordered to left, right. */
    /**
     * ksqlDB's RIGHT JOIN: the key of a joined row is the join key, which a row padded on the left
     * still has; so a left join column (`t.id` in `t RIGHT JOIN tt ON t.id = tt.id`) reads as the
     * right side's, as ksqlDB's key column does. Left column position to right column position
     * (in the swapped row, where the right side comes first); empty in Flink's dialect, where the
     * left column is NULL on a padded row.
     */
    private java.util.Map<Integer, Integer> ksqlKeyColumns(Relation.Join join, Side right, Side left) {
        java.util.Map<Integer, Integer> out = new java.util.HashMap<>();
        if (planner.dialect() != dev.sluice.compiler.catalog.Dialect.KSQL || join.condition().isEmpty()) {
            return out;
        }
        JoinCondition on = JoinCondition.analyze(join.condition().get(), right.scope(), left.scope(), functions);
        for (int i = 0; i < on.leftKeys().size(); i++) {
            if (on.leftKeys().get(i) instanceof Expr.InputRef r && on.rightKeys().get(i) instanceof Expr.InputRef l
                    && r.type().equals(l.type())) {
                out.putIfAbsent(l.index(), r.index());
            }
        }
        return out;
    }

    private Side unswap(Side swapped, int rightWidth, java.util.Map<Integer, Integer> keyColumns) {
        List<ScopeColumn> columns = swapped.scope().columns();
        int width = columns.size();
        int leftWidth = width - rightWidth;
        int[] from = new int[width];
        List<Expr> reordered = new ArrayList<>();
        List<ScopeColumn> scopeColumns = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            from[i] = i < leftWidth ? rightWidth + i : i - leftWidth;
            ScopeColumn c = columns.get(from[i]);
            int read = i < leftWidth && keyColumns.containsKey(i) ? keyColumns.get(i) : from[i];
            reordered.add(new Expr.InputRef(read, c.type()));
            scopeColumns.add(new ScopeColumn(c.relation(), c.name(), c.type(), i, c.hidden()));
        }
        java.util.OptionalInt rowtime = java.util.OptionalInt.empty();
        if (swapped.scope().rowtimeColumn().isPresent()) {
            int old = swapped.scope().rowtimeColumn().getAsInt();
            rowtime = java.util.OptionalInt.of(old < rightWidth ? old + leftWidth : old - rightWidth);
        }
        Scope scope = new Scope(scopeColumns, rowtime, swapped.scope().watermarkDelayMs());
        Step step = new ProjectStep(names.name(swapped.label() + "-columns"), swapped.step(), reordered, scope.schema());
        Optional<List<Expr>> key = swapped.key().map(k -> k.stream().map(e -> JoinCondition.shift(e, leftWidth)).toList());
        return new Side(step, scope, key, swapped.label());
    }

    /** What a step's records are keyed by, as expressions over its row; empty when unknown or none. */
    private static Optional<List<Expr>> keyOf(Step step) {
        return step.accept(StepKeys.INSTANCE);
    }

    private static String label(Relation r) {
        if (r instanceof Relation.Table t) {
            return t.alias().map(a -> a.value()).orElse(t.name().simpleName());
        }
        if (r instanceof Relation.Subquery s) {
            return s.alias().map(a -> a.value()).orElse("subquery");
        }
        if (r instanceof Relation.UriSource u) {
            return u.alias().map(a -> a.value()).orElse("source");
        }
        if (r instanceof Relation.WindowTableFunction w) {
            return w.alias().map(a -> a.value()).orElse(w.function().toLowerCase(java.util.Locale.ROOT));
        }
        return "join";
    }
}
