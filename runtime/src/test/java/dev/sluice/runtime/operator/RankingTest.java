package dev.sluice.runtime.operator;

import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ranks by hand: costs 5, 3, 3, 1 in one partition, ordered by cost descending. */
class RankingTest {
    private static final Schema SCHEMA = new Schema(List.of(new Column("user", ScalarType.VARCHAR),
            new Column("cost", ScalarType.BIGINT)));

    private static Ranking ranking(RankStep.Function function, long limit, boolean table) {
        SourceStep source = new SourceStep("s", new FormatSpec("t", Map.of()),
                table ? new Schema(List.of(SCHEMA.column(0))) : new Schema(List.of()), SCHEMA, OptionalInt.empty(), false);
        RankStep step = new RankStep("r", source, function, List.of(),
                List.of(new RankStep.SortKey(1, true, true)), limit, true,
                new Schema(List.of(new Column("position", ScalarType.BIGINT))), SCHEMA.append(new Column("rank", ScalarType.BIGINT)));
        return new Ranking(step, table ? new int[]{0} : new int[0]);
    }

    private static Row change(String user, Long cost, boolean deleted) {
        return Row.of(user, cost, deleted);
    }

    private static List<String> ranks(Ranking ranking, List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : ranking.top(rows)) {
            out.add(r.get(0) + ":" + r.get(2));
        }
        return out;
    }

    private static List<Row> feed(Ranking ranking) {
        List<Row> rows = new ArrayList<>();
        ranking.apply(rows, change("a", 3L, false));
        ranking.apply(rows, change("b", 5L, false));
        ranking.apply(rows, change("c", 1L, false));
        ranking.apply(rows, change("d", 3L, false));
        return rows;
    }

    @Test
    void rankSkipsAfterTiesAndStopsPastTheLimit() {
        Ranking ranking = ranking(RankStep.Function.RANK, 3, false);
        assertEquals(List.of("b:1", "a:2", "d:2"), ranks(ranking, feed(ranking)));
    }

    @Test
    void denseRankDoesNotSkipAfterTies() {
        Ranking ranking = ranking(RankStep.Function.DENSE_RANK, 3, false);
        assertEquals(List.of("b:1", "a:2", "d:2", "c:3"), ranks(ranking, feed(ranking)));
    }

    @Test
    void rowNumberBreaksTiesByArrival() {
        Ranking ranking = ranking(RankStep.Function.ROW_NUMBER, 3, false);
        List<Row> rows = feed(ranking);
        assertEquals(List.of("b:1", "a:2", "d:3"), ranks(ranking, rows));
        assertEquals(3, ranking.retained(rows).size(), "a stream keeps only rows that can still rank");
    }

    @Test
    void aFullStreamPartitionRanksOutALowerOrTiedRowAtOnce() {
        Ranking ranking = ranking(RankStep.Function.ROW_NUMBER, 3, false);
        List<Row> kept = ranking.retained(feed(ranking)); // b 5, a 3, d 3: full
        assertEquals(java.util.OptionalLong.of(3), ranking.maxKept());
        assertEquals(true, ranking.rankedOutAtOnce(kept, change("e", 3L, false)), "a tie goes after the last");
        assertEquals(true, ranking.rankedOutAtOnce(kept, change("e", 2L, false)));
        assertEquals(false, ranking.rankedOutAtOnce(kept, change("e", 4L, false)));
        assertEquals(false, ranking.rankedOutAtOnce(kept.subList(0, 2), change("e", 1L, false)), "not full");
        assertEquals(false, ranking.rankedOutAtOnce(List.of(), change("e", 1L, false)));
        // each answer is what sorting the row in finds
        for (long cost = 0; cost <= 6; cost++) {
            List<Row> rows = new ArrayList<>(kept);
            ranking.apply(rows, change("e", cost, false));
            assertEquals(ranking.retained(rows).equals(kept), ranking.rankedOutAtOnce(kept, change("e", cost, false)),
                    "cost " + cost);
        }
    }

    @Test
    void onlyAStreamsRowNumberBoundsWhatAPartitionKeeps() {
        assertEquals(java.util.OptionalLong.empty(), ranking(RankStep.Function.RANK, 3, false).maxKept(), "ties past the limit");
        assertEquals(java.util.OptionalLong.empty(), ranking(RankStep.Function.DENSE_RANK, 3, false).maxKept());
        assertEquals(java.util.OptionalLong.empty(), ranking(RankStep.Function.ROW_NUMBER, 3, true).maxKept(),
                "a table keeps rows ranked out: a retraction can bring them back");
        Ranking rank = ranking(RankStep.Function.RANK, 3, false);
        List<Row> kept = rank.retained(feed(rank));
        assertEquals(false, rank.rankedOutAtOnce(kept, change("e", 3L, false)), "a tie of RANK 2 still ranks");
    }

    @Test
    void aTableRowIsReplacedByItsKeyAndCanComeBackAfterARetraction() {
        Ranking ranking = ranking(RankStep.Function.ROW_NUMBER, 2, true);
        List<Row> rows = feed(ranking);
        ranking.apply(rows, change("b", null, true));
        ranking.apply(rows, change("a", 0L, false));
        assertEquals(List.of("d:1", "c:2"), ranks(ranking, rows));
        assertEquals(3, ranking.retained(rows).size(), "a table keeps every row");
    }
}
