package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.TypeResolver;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.function.udf.JavaAggregateUdf;
import dev.sluice.runtime.function.udf.JavaScalarUdf;
import dev.sluice.runtime.function.udf.ScriptFunctionCatalog;
import dev.sluice.runtime.function.udf.UserFunctionClasses;
import dev.sluice.serdes.row.SqlType;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The user-defined functions of one script: those the --udf-jar jars declare in their manifests,
 * then each CREATE FUNCTION, their classes loaded from those jars and registered in the script's
 * function catalog. A user function never replaces a built-in one.
 */
final class UserFunctionDeclarations {
    private final ScriptFunctionCatalog functions;
    /** Functions the --udf-jar manifests declared, by upper-case name: their classes. */
    private final Map<String, String> manifestFunctions = new HashMap<>();

    UserFunctionDeclarations(ScriptFunctionCatalog functions) {
        this.functions = functions;
    }

    /**
     * The functions the --udf-jar jars declare in META-INF/sluice/functions.properties, as if
     * {@code CREATE FUNCTION name AS 'class'} preceded the script.
     */
    void declareManifestFunctions() {
        manifestFunctions.clear();
        List<UserFunctionClasses.Declared> declared;
        try {
            declared = UserFunctionClasses.declared(Thread.currentThread().getContextClassLoader());
        } catch (IllegalArgumentException e) {
            throw new SqlException(1, 1, "--udf-jar: " + e.getMessage(), null);
        }
        for (UserFunctionClasses.Declared d : declared) {
            String kind;
            try {
                kind = declare(d.name(), d.className());
            } catch (IllegalArgumentException e) {
                throw new SqlException(1, 1, "--udf-jar: function " + d.name() + " of " + d.manifest() + ": "
                        + e.getMessage(), null);
            }
            if (kind == null) {
                throw new SqlException(1, 1, "--udf-jar: function " + d.name() + " of " + d.manifest()
                        + " has the name of a built-in function", "a user-defined function cannot replace a built-in one");
            }
            manifestFunctions.put(d.name(), d.className());
        }
    }

    /** CREATE FUNCTION: the class is loaded now, from the jars the CLI was given (--udf-jar). */
    void declareFunction(Statement.CreateFunction function, List<String> notes) {
        String name = function.name().simpleName();
        if (function.className().equals(manifestFunctions.get(name.toUpperCase(Locale.ROOT)))) {
            return; // the jar's manifest declared the same function already
        }
        String kind;
        try {
            kind = declare(name, function.className());
        } catch (IllegalArgumentException e) {
            throw new SqlException(function.location(), "CREATE FUNCTION " + name + ": " + e.getMessage());
        }
        if (kind == null) {
            if (function.ifNotExists()) {
                return;
            }
            throw new SqlException(function.name().location(), "function `" + name + "` already exists",
                    "choose another name; a user-defined function cannot replace a built-in one");
        }
        notes.add(name + ": user-defined " + kind + " " + function.className());
    }

    /** Loads and registers a user function; its kind ("function", "aggregate function"), or null when the name is taken. */
    private String declare(String name, String className) {
        Class<?> type = UserFunctionClasses.load(className, Thread.currentThread().getContextClassLoader());
        if (JavaAggregateUdf.isAggregate(type)) {
            return functions.declare(JavaAggregateUdf.load(name, type)) ? "aggregate function" : null;
        }
        JavaScalarUdf function = JavaScalarUdf.load(name, type, UserFunctionDeclarations::sqlType);
        return functions.declare(function) ? (function.tableFunction() ? "table function" : "function") : null;
    }

    /** A SQL type named in Java code (a user function's {@code sqlReturnType}), e.g. {@code STRUCT<A VARCHAR>}. */
    private static SqlType sqlType(String text) {
        Expression cast = SqlParser.parseExpression("CAST(NULL AS " + text + ")");
        if (!(cast instanceof Expression.Cast c)) {
            throw new IllegalArgumentException("not a type");
        }
        return TypeResolver.resolve(c.type());
    }
}
