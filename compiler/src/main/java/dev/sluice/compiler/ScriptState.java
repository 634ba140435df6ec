package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.QueryPlanner;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.grammar.ast.Query;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What compiling one script has gathered so far, read and added to by each statement in turn: the
 * catalog of declared streams and tables, the script's functions and views, the connectors its
 * endpoints need, its notes, SET settings and query ids. One per {@link SluiceCompiler#compile} call.
 *
 * @param views    CREATE VIEW's named queries by lower-case name, inlined where they are read
 * @param idCounts how often each query id's base was used ({@link ScriptIds#uniqueId})
 * @param settings the SET statements so far, in order
 */
record ScriptState(Catalog catalog, ScriptFunctionCatalog functions, Map<String, Query> views, UriSources uriSources,
                   List<ConnectorPlan> connectors, List<String> notes, Map<String, Integer> idCounts,
                   Map<String, String> settings, String applicationId) {

    boolean ksql() {
        return catalog.dialect() == Dialect.KSQL;
    }

    /** A planner for the query with this id, against what the script declared before it. */
    QueryPlanner planner(String queryId) {
        return new QueryPlanner(catalog, functions, queryId, views);
    }

    String uniqueId(String base) {
        return ScriptIds.uniqueId(base, idCounts);
    }

    /** ksqlDB's server setting 'ksql.schema.registry.url', when the script SETs it. */
    Optional<String> schemaRegistry() {
        return Optional.ofNullable(settings.get("ksql.schema.registry.url"));
    }
}
