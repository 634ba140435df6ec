package dev.sluice.runtime.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Per step type: what it emits given what its inputs emit, and what it accepts from each input
 * (Flink's {@code FlinkChangelogModeInferenceProgram} is the model: modes are derived bottom-up,
 * and the need for old values is pushed top-down by {@link ChangelogInference}).
 */
final class ChangelogRules implements StepVisitor<ChangelogRules.Rule> {
    static final ChangelogRules INSTANCE = new ChangelogRules();

    /** What a step emits when its inputs emit {@code in}, and what it accepts from each input. */
    record Rule(ChangelogMode emits, List<InputRequirement> accepts, boolean passesOldValues) {
        Rule(ChangelogMode emits, List<InputRequirement> accepts) {
            this(emits, accepts, false);
        }
    }

    private ChangelogRules() {
    }

    private static ChangelogMode base(Step input) {
        return ChangelogInference.emitted(input);
    }

    private static Rule rule(ChangelogMode emits, InputRequirement... accepts) {
        return new Rule(emits, List.of(accepts));
    }

    @Override
    public Rule visitSource(SourceStep s) {
        return rule(ChangelogMode.INSERT_ONLY);
    }

    @Override
    public Rule visitTableSource(TableSourceStep t) {
        return rule(ChangelogMode.UPSERT);
    }

    /** Old values pass through a filter or projection of a table: its input must supply them. */
    private static Rule passThrough(Step input) {
        return new Rule(base(input), List.of(InputRequirement.UPSERT), true);
    }

    @Override
    public Rule visitFilter(FilterStep f) {
        return passThrough(f.input());
    }

    @Override
    public Rule visitProject(ProjectStep p) {
        return passThrough(p.input());
    }

    /** A re-key forwards records as they come: an update would arrive at its new key as a new row. */
    @Override
    public Rule visitRekey(RekeyStep r) {
        return rule(ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY);
    }

    @Override
    public Rule visitAggregate(AggregateStep a) {
        return switch (a.kind()) {
            case STREAM -> rule(ChangelogMode.UPSERT, InputRequirement.APPEND_ONLY);
            // A row whose group changed must leave its old group: the old row is needed.
            case TABLE -> rule(ChangelogMode.UPSERT, InputRequirement.RETRACT);
            case WINDOWED -> rule(a.emit() == EmitMode.FINAL ? ChangelogMode.INSERT_ONLY : ChangelogMode.UPSERT,
                    InputRequirement.APPEND_ONLY);
        };
    }

    @Override
    public Rule visitStreamTableJoin(StreamTableJoinStep j) {
        return rule(ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY, InputRequirement.UPSERT);
    }

    @Override
    public Rule visitStreamStreamJoin(StreamStreamJoinStep j) {
        // A regular outer join deletes a padded row when its match arrives: a KTable keyed by the rows.
        return rule(j.retracting() ? ChangelogMode.UPSERT : ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY, InputRequirement.APPEND_ONLY);
    }

    @Override
    public Rule visitTableTableJoin(TableTableJoinStep j) {
        return rule(ChangelogMode.UPSERT, InputRequirement.UPSERT, InputRequirement.UPSERT);
    }

    @Override
    public Rule visitUnion(UnionStep u) {
        List<InputRequirement> accepts = new ArrayList<>();
        u.inputs().forEach(in -> accepts.add(InputRequirement.APPEND_ONLY));
        return new Rule(ChangelogMode.INSERT_ONLY, accepts);
    }

    @Override
    public Rule visitLagLead(LagLeadStep l) {
        return rule(ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY);
    }

    /** Each row once, in event-time order: an update could not take back the rows emitted after it. */
    @Override
    public Rule visitOverAggregate(OverAggregateStep o) {
        return rule(ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY);
    }

    /** One row in, several out: an update could not say which of the earlier rows it replaces. */
    @Override
    public Rule visitExplode(ExplodeStep e) {
        return rule(ChangelogMode.INSERT_ONLY, InputRequirement.APPEND_ONLY);
    }

    /** A table input's rows are identified by its key: an update replaces the row it updates. */
    @Override
    public Rule visitRank(RankStep r) {
        return rule(ChangelogMode.UPSERT, InputRequirement.UPSERT);
    }

    /**
     * Keeping the first row in arrival order, forever, never changes a kept row (Flink: insert-only);
     * keeping the first by event time or the last replaces it, and a forgotten key is emitted again.
     */
    @Override
    public Rule visitDeduplicate(DeduplicateStep d) {
        boolean insertOnly = !d.keepLast() && d.orderColumn().isEmpty() && d.retentionMs() == 0;
        return rule(insertOnly ? ChangelogMode.INSERT_ONLY : ChangelogMode.UPSERT, InputRequirement.APPEND_ONLY);
    }

    @Override
    public Rule visitSuppress(SuppressStep s) {
        return passThrough(s.input());
    }
}
