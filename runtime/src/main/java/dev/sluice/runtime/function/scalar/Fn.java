package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Set;

/**
 * A scalar function assembled from a typing rule and a binder, so that each family file can
 * declare many functions as data instead of one class per function.
 */
record Fn(String name, Set<String> aliases, Typer typer, Binder binder,
          boolean nullOnNullInput, boolean deterministic) implements ScalarFunction {

    @FunctionalInterface
    interface Typer {
        SqlType returnType(List<Expr> arguments);
    }

    @FunctionalInterface
    interface Binder {
        Implementation bind(List<Expr> arguments, SqlType returnType);
    }

    Fn {
        aliases = Set.copyOf(aliases);
    }

    static Fn of(String name, Typer typer, Binder binder) {
        return new Fn(name, Set.of(), typer, binder, true, true);
    }

    Fn withAliases(String... names) {
        return new Fn(name, Set.of(names), typer, binder, nullOnNullInput, deterministic);
    }

    /** For functions that must see NULL arguments (IS NULL, IN, CONCAT_WS, NULLIF, ...). */
    Fn seeingNulls() {
        return new Fn(name, aliases, typer, binder, false, deterministic);
    }

    Fn nonDeterministic() {
        return new Fn(name, aliases, typer, binder, nullOnNullInput, false);
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return typer.returnType(arguments);
    }

    @Override
    public Implementation implement(List<Expr> arguments, SqlType returnType) {
        return binder.bind(arguments, returnType);
    }

    @Override
    public String toString() {
        return name;
    }
}
