package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The columns an expression can name, in input-row order, with what the planner knows about time:
 * which column is event time and the watermark delay of the relation it came from.
 */
public final class Scope {
    private final List<ScopeColumn> columns;
    private final OptionalInt rowtimeColumn;
    private final OptionalLong watermarkDelayMs;
    private final Optional<WindowBounds> windowBounds;

    /**
     * The columns holding the bounds of the window each row belongs to, when the rows are the final
     * rows of a windowed aggregate (Flink's window properties): a GROUP BY or a join on both of them
     * is itself per window (a cascaded window aggregate, a window join).
     */
    public record WindowBounds(int startColumn, int endColumn) {
    }

    public Scope(List<ScopeColumn> columns, OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs) {
        this(columns, rowtimeColumn, watermarkDelayMs, Optional.empty());
    }

    public Scope(List<ScopeColumn> columns, OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs,
                 Optional<WindowBounds> windowBounds) {
        this.columns = List.copyOf(columns);
        this.rowtimeColumn = rowtimeColumn;
        this.watermarkDelayMs = watermarkDelayMs;
        this.windowBounds = windowBounds;
    }

    public static Scope of(String relation, Schema schema, OptionalInt rowtime, OptionalLong watermark) {
        List<ScopeColumn> cols = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.column(i);
            cols.add(new ScopeColumn(Optional.ofNullable(relation), c.name(), c.type(), i, false));
        }
        return new Scope(cols, rowtime, watermark);
    }

    public List<ScopeColumn> columns() {
        return columns;
    }

    public OptionalInt rowtimeColumn() {
        return rowtimeColumn;
    }

    public OptionalLong watermarkDelayMs() {
        return watermarkDelayMs;
    }

    public Optional<WindowBounds> windowBounds() {
        return windowBounds;
    }

    /** This scope, its rows known to be a window's final rows with bounds in these columns. */
    public Scope withWindowBounds(Optional<WindowBounds> bounds) {
        return new Scope(columns, rowtimeColumn, watermarkDelayMs, bounds);
    }

    public int size() {
        return columns.size();
    }

    public Schema schema() {
        return new Schema(columns.stream().map(c -> new Column(c.name(), c.type())).toList());
    }

    /** The same columns under a new relation alias (a subquery or CTE named in FROM). */
    public Scope withRelation(String alias) {
        return new Scope(columns.stream()
                .map(c -> new ScopeColumn(Optional.ofNullable(alias), c.name(), c.type(), c.index(), c.hidden()))
                .toList(), rowtimeColumn, watermarkDelayMs, windowBounds);
    }

    /** This scope's columns followed by {@code right}'s, renumbered: the row shape of a join. */
    public Scope concat(Scope right) {
        List<ScopeColumn> all = new ArrayList<>(columns);
        for (ScopeColumn c : right.columns) {
            all.add(new ScopeColumn(c.relation(), c.name(), c.type(), c.index() + columns.size(), c.hidden()));
        }
        return new Scope(all, rowtimeColumn, watermarkDelayMs);
    }

    public boolean hasRelation(String alias) {
        return columns.stream().anyMatch(c -> c.relation().map(r -> r.equalsIgnoreCase(alias)).orElse(false));
    }

    public List<ScopeColumn> visible(Optional<String> relation) {
        return columns.stream().filter(c -> !c.hidden())
                .filter(c -> relation.isEmpty() || c.relation().map(r -> r.equalsIgnoreCase(relation.get())).orElse(false))
                .toList();
    }

    /**
     * Resolves {@code name} (optionally qualified by a relation alias). Matching is case-insensitive
     * unless the identifier was quoted.
     */
    public Optional<ScopeColumn> find(Optional<String> relation, Identifier name) {
        List<ScopeColumn> matches = matches(relation, name);
        if (matches.size() > 1) {
            String where = matches.stream().map(c -> c.relation().orElse("?") + "." + c.name())
                    .collect(Collectors.joining(", "));
            throw new SqlException(name.location(), "column `" + name.value() + "` is ambiguous: " + where,
                    "qualify it with a relation alias");
        }
        return matches.stream().findFirst();
    }

    /** Every column {@code name} (optionally qualified) could mean: more than one is an ambiguity. */
    public List<ScopeColumn> matches(Optional<String> relation, Identifier name) {
        return columns.stream()
                .filter(c -> relation.isEmpty() || c.relation().map(r -> r.equalsIgnoreCase(relation.get())).orElse(false))
                .filter(c -> name.quoted() ? c.name().equals(name.value()) : c.name().equalsIgnoreCase(name.value()))
                .toList();
    }

    public SqlException unknownColumn(Expression.ColumnRef ref, Optional<String> relation, Identifier name) {
        List<String> candidates = columns.stream()
                .filter(c -> relation.isEmpty() || c.relation().map(r -> r.equalsIgnoreCase(relation.get())).orElse(false))
                .map(ScopeColumn::name).distinct().toList();
        return new SqlException(name.location(), "unknown column `" + name.value() + "`"
                + relation.map(r -> " in `" + r + "`").orElse(""), Suggestions.hint(name.value(), candidates));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
