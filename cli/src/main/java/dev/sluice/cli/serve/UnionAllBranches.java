package dev.sluice.cli.serve;

import dev.sluice.grammar.SqlFormatter;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code SELECT ... UNION ALL SELECT ...} whose branches are updating results (two global
 * aggregates, say): a continuous query refuses it (its changes would need one key across both
 * branches), but over one snapshot UNION ALL is the rows of each branch, one after the other. A pull
 * query of that shape is asked branch by branch (each with the query's WITH clause) and the rows
 * concatenated. Only a top-level UNION ALL without its own ORDER BY or LIMIT is split.
 */
final class UnionAllBranches {
    private UnionAllBranches() {
    }

    static Optional<List<String>> split(String sql) {
        Statement parsed;
        try {
            parsed = SqlParser.parseStatement(sql);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!(parsed instanceof Statement.QueryStatement q) || !(q.query().body() instanceof QueryBody.SetOperation)
                || !q.query().orderBy().isEmpty() || q.query().limit().isPresent() || q.query().emit().isPresent()) {
            return Optional.empty();
        }
        List<QueryBody> branches = new ArrayList<>();
        if (!flatten(q.query().body(), branches)) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (QueryBody branch : branches) {
            out.add(SqlFormatter.format(new Query(q.query().with(), branch, List.of(), Optional.empty(),
                    Optional.empty(), q.query().location())));
        }
        return Optional.of(out);
    }

    private static boolean flatten(QueryBody body, List<QueryBody> out) {
        if (body instanceof QueryBody.SetOperation s) {
            return s.all() && s.operator().toUpperCase(Locale.ROOT).equals("UNION")
                    && flatten(s.left(), out) && flatten(s.right(), out);
        }
        out.add(body);
        return true;
    }
}
