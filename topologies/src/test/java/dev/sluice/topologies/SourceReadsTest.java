package dev.sluice.topologies;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SourceReads;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a source's deserializer builds of the Nexmark event for the queries of a script: the
 * columns and ROW fields read through the views, the computed event time's inputs, the union over
 * several queries. Positions: event_type 0, person 1, auction 2, bid 3; bid's fields auction 0,
 * bidder 1, price 2, channel 3, url 4, dateTime 5, extra 6; person's dateTime 6, auction's 5.
 */
class SourceReadsTest {
    /** The Nexmark DDL and views (everything before the query of the q2 pipeline). */
    private static String nexmarkDdl() throws Exception {
        String sql = Files.readString(Pipelines.root().resolve("nexmark_q2").resolve("pipeline.sql"));
        return sql.substring(0, sql.indexOf("-- q2 "));
    }

    private static String reads(String queries) throws Exception {
        CompiledScript script = new SluiceCompiler(new DefaultFunctionCatalog(() -> Pipelines.FIXED_NOW))
                .compile(nexmarkDdl() + queries, "reads", BuildOptions.PRODUCTION);
        return SourceReads.of(script.queries().stream().map(CompiledQuery::plan).toList()).topic("nexmark").toString();
    }

    @Test
    void aQueryOverTheBidViewReadsTheBidFieldsItUsesAndTheEventTimesInputs() throws Exception {
        // q2: auction and price; event_type for the view's filter; each ROW's dateTime for the computed column
        assertEquals("{0, 1{6}, 2{5}, 3{0, 2, 5}}", reads("SELECT auction, price FROM bid WHERE auction % 123 = 0;"));
    }

    @Test
    void aQueryThatPassesColumnsThroughReadsThemAndNoOthers() throws Exception {
        assertEquals("{0, 1{6}, 2{5}, 3{0, 1, 2, 5, 6}}", reads("SELECT auction, bidder, price * 0.908 AS euro, "
                + "`dateTime`, extra FROM bid;"));
    }

    @Test
    void queriesOverTwoViewsOfOneTopicReadTheUnion() throws Exception {
        assertEquals("{0, 1{0, 1, 6}, 2{5}, 3{2, 5}}", reads("CREATE STREAM p AS SELECT price FROM bid;\n"
                + "CREATE STREAM n AS SELECT id, name FROM person;"));
    }

    @Test
    void aRowSelectedWholeIsReadWholeAndSelectStarReadsEveryColumn() throws Exception {
        assertEquals("{0, 1{6}, 2{5}, 3}", reads("SELECT bid FROM kafka WHERE event_type = 2;"));
        String all = reads("SELECT * FROM kafka;");
        assertEquals("{0, 1, 2, 3}", all);
    }

    @Test
    void aGroupedCountReadsItsKeyAndEventTimeOnly() throws Exception {
        // the aggregate reads its input whole, but the optimizer narrows that input to the columns it uses
        assertEquals("{0, 1{6}, 2{5}, 3{0, 5}}", reads("SELECT auction, COUNT(*) AS n FROM bid GROUP BY auction;"));
    }

    @Test
    void aUnionReadsItsInputsWhole() throws Exception {
        String union = reads("SELECT auction, price FROM bid UNION ALL SELECT id, reserve FROM auction;");
        assertTrue(union.startsWith("{0, 1{6}, 2{"), union);
        assertTrue(union.contains("3{0, 2, 5}"), union);
    }
}
