package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * One step of a physical plan: data, not code. The compiler produces a tree of steps per query;
 * {@code TopologyPlanBuilder} turns each into Kafka Streams DSL calls with one small builder per step
 * type. Steps compare structurally, which is what lets the optimizer find shared sub-plans.
 *
 * <p>Every pass over plans that depends on the step type goes through {@link #accept} with a
 * {@link StepVisitor}, so adding a step type does not compile until each pass handles it. Passes
 * that only walk the tree use {@link #inputs()}, and rewrites rebuild steps with
 * {@link #withInputs} and {@link #withName}.
 *
 * <p>{@link #name()} is the step's stable name inside its query ({@code <query>-<step>}); every
 * processor, store and internal topic the step creates is named {@code <name>-<role>}.
 */
public sealed interface Step permits SourceStep, FilterStep, ProjectStep, RekeyStep, AggregateStep,
        TableSourceStep, StreamTableJoinStep, StreamStreamJoinStep, TableTableJoinStep, UnionStep, LagLeadStep,
        RankStep, DeduplicateStep, SuppressStep, ExplodeStep, OverAggregateStep {

    String name();

    /** Columns of the value row. */
    Schema schema();

    /** Columns of the key row (empty: the key carries nothing the query reads). */
    Schema keySchema();

    /** How downstream steps must treat the output. */
    Shape shape();

    /** The steps this one reads, in order (left before right for joins); none for sources. */
    List<Step> inputs();

    /** This step over other inputs (as many as {@link #inputs()}, same order); all else unchanged. */
    Step withInputs(List<Step> inputs);

    /** This step under another name; all else unchanged. */
    Step withName(String name);

    <R> R accept(StepVisitor<R> visitor);

    enum Shape {
        /** Append-only records (KStream). */
        STREAM,
        /** Changelog keyed by {@link #keySchema()} (KTable): updates replace, null values delete. */
        TABLE
    }
}
