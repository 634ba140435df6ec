package dev.sluice.compiler;

import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule that decides whose results a script gets (docs/compatibility.md): a script whose
 * CREATE STREAM|TABLE statements name their topics with {@code KAFKA_TOPIC} is ksqlDB's; any other
 * script is Flink's. The two cannot share a script: a source declared Flink's way ({@code 'topic'},
 * {@code 'connector'}, a WATERMARK) next to one declared ksqlDB's way is an error, because ksqlDB
 * and Flink disagree on keys, names and window defaults for the queries that read both.
 */
final class DialectRule {
    private DialectRule() {
    }

    static Dialect of(Script script) {
        Optional<Statement.CreateSource> ksql = Optional.empty();
        Optional<Statement.CreateSource> flink = Optional.empty();
        for (ParsedStatement parsed : script.statements()) {
            if (parsed.statement() instanceof Statement.CreateSource c) {
                if (has(c.properties(), "kafka_topic")) {
                    ksql = ksql.or(() -> Optional.of(c));
                    if (c.watermark().isPresent()) {
                        throw new SqlException(c.watermark().get().location(), "WATERMARK in a ksqlDB-style "
                                + "declaration (KAFKA_TOPIC): ksqlDB has no watermarks",
                                "set the lateness per window with WINDOW TUMBLING (SIZE ..., GRACE PERIOD ...)");
                    }
                } else if (has(c.properties(), "topic") || has(c.properties(), "connector") || c.watermark().isPresent()) {
                    flink = flink.or(() -> Optional.of(c));
                }
            }
        }
        if (ksql.isPresent() && flink.isPresent()) {
            Statement.CreateSource later = ksql.get().location().line() > flink.get().location().line()
                    ? ksql.get() : flink.get();
            Statement.CreateSource other = later == ksql.get() ? flink.get() : ksql.get();
            throw new SqlException(later.location(), "`" + later.name() + "` is declared in "
                    + (later == ksql.get() ? "ksqlDB's" : "Flink's") + " style but `" + other.name() + "` (line "
                    + other.location().line() + ") in " + (later == ksql.get() ? "Flink's" : "ksqlDB's")
                    + "; one script gets one engine's results",
                    "declare every source with KAFKA_TOPIC (ksqlDB) or with 'topic'/'connector' (Flink)");
        }
        return ksql.isPresent() ? Dialect.KSQL : Dialect.FLINK;
    }

    private static final java.util.regex.Pattern KAFKA_TOPIC_OPTION =
            java.util.regex.Pattern.compile("(?i)\\bkafka_topic\\s*=");

    /**
     * The script's text, when it does not parse: the rule cannot read its declarations, so a
     * {@code KAFKA_TOPIC =} anywhere in it stands for them, as does an error at one of ksqlDB's own
     * statements ({@code ASSERT}, {@code RUN SCRIPT}, …). A syntax error in a ksqlDB script is worded
     * as ksqlDB words it — {@code Syntax Error}, then its account of the error, or Sluice's where ksqlDB
     * has none — and Sluice's account of the token expected is the hint.
     */
    static SqlException syntaxError(String sql, dev.sluice.grammar.SqlSyntaxException e) {
        var ksql = e.ksql();
        if (!KAFKA_TOPIC_OPTION.matcher(sql).find() && !ksql.map(k -> k.ksqlOnly()).orElse(false)) {
            return e;
        }
        String detail = ksql.map(k -> k.detail()).filter(d -> !d.isEmpty()).orElse(e.getMessage());
        return new dev.sluice.grammar.SqlSyntaxException(e.line(), e.column(), "Syntax Error\n" + detail,
                detail.equals(e.getMessage()) ? null : e.getMessage(), ksql.orElse(null));
    }

    private static boolean has(List<Property> properties, String key) {
        return properties.stream().anyMatch(p -> p.key().toLowerCase(Locale.ROOT).equals(key));
    }
}
