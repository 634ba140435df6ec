package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.Steps;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;

/** Scripts compiled with chosen rules, and ways to look into their plans. */
final class OptimizerFixtures {
    static final String EVENTS = "CREATE STREAM events (user_id VARCHAR, country VARCHAR, revenue DOUBLE, "
            + "event_time TIMESTAMP ROWTIME) WITH ('topic' = 'events', 'format' = 'json');\n";
    static final String USERS = "CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INT, tier VARCHAR) "
            + "WITH ('topic' = 'users', 'format' = 'json');\n";
    /** Event time with a watermark, for interval joins. */
    static final String CLICKS = "CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, ms BIGINT, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'clicks', 'format' = 'json');\n";

    private OptimizerFixtures() {
    }

    static CompiledScript compile(String sql, String rules) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).withOptimizer(OptimizerSettings.parse(rules))
                .compile(sql, "test", BuildOptions.PRODUCTION);
    }

    static Step root(CompiledScript compiled, String queryId) {
        return compiled.queries().stream().filter(q -> q.id().equals(queryId)).findFirst().orElseThrow()
                .plan().root();
    }

    /** Every distinct step of a tree of this type, pre-order. */
    static <T extends Step> List<T> all(Step root, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Step s : PlanIndex.subtree(root)) {
            if (type.isInstance(s)) {
                out.add(type.cast(s));
            }
        }
        return out;
    }

    static String explain(CompiledScript compiled) {
        StringBuilder sb = new StringBuilder();
        compiled.queries().forEach(q -> sb.append(q.id()).append('\n').append(Steps.explain(q.plan().root())));
        return sb.toString();
    }
}
