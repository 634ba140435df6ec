package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * Positional signature checks written as type-family names: VARCHAR, INTEGER (INTEGER or
 * BIGINT), NUMERIC, TIMESTAMP (with or without time zone), DATE, TIME, DATETIME (TIMESTAMP or DATE),
 * BOOLEAN, VARIANT, JSON (VARIANT or VARCHAR holding JSON), ANY; {@code [X]} marks an optional
 * trailing parameter. An untyped NULL fits every parameter. The failure message spells the
 * signature the way SQL users read it: {@code SUBSTRING expects (VARCHAR, INTEGER[, INTEGER])}.
 */
final class Sig {
    private Sig() {
    }

    static void check(String function, List<Expr> args, String... params) {
        int required = 0;
        for (String p : params) {
            if (!p.startsWith("[")) {
                required++;
            }
        }
        if (args.size() < required || args.size() > params.length) {
            throw Args.mismatch(function, spell(params), args);
        }
        for (int i = 0; i < args.size(); i++) {
            String family = params[i].replace("[", "").replace("]", "");
            if (!fits(family, args.get(i).type())) {
                throw Args.mismatch(function, spell(params), args);
            }
        }
    }

    /** Checks and returns VARCHAR, for the many string-valued functions. */
    static SqlType varchar(String function, List<Expr> args, String... params) {
        check(function, args, params);
        return ScalarType.VARCHAR;
    }

    static boolean fits(String family, SqlType t) {
        if (t == ScalarType.NULL) {
            return true;
        }
        return switch (family) {
            case "VARCHAR" -> t == ScalarType.VARCHAR;
            case "INTEGER" -> Args.isExactInteger(t);
            case "NUMERIC" -> t.isNumeric();
            case "TIMESTAMP" -> Args.isTimestamp(t);
            case "DATE" -> t == ScalarType.DATE;
            case "TIME" -> t == ScalarType.TIME;
            case "DATETIME" -> t.isTemporal();
            case "BOOLEAN" -> t == ScalarType.BOOLEAN;
            case "INTERVAL" -> t == ScalarType.INTERVAL;
            case "VARIANT" -> t == ScalarType.VARIANT;
            case "BYTES" -> t == ScalarType.BYTES;
            case "JSON" -> t == ScalarType.VARIANT || t == ScalarType.VARCHAR;
            case "ANY" -> true;
            default -> throw new IllegalArgumentException("unknown type family " + family);
        };
    }

    static String spell(String... params) {
        StringBuilder b = new StringBuilder("(");
        int optional = 0;
        for (int i = 0; i < params.length; i++) {
            String p = params[i];
            if (p.startsWith("[")) {
                optional++;
                b.append(i == 0 ? "[" : "[, ").append(p, 1, p.length() - 1);
            } else {
                b.append(i == 0 ? "" : ", ").append(p);
            }
        }
        return b.append("]".repeat(optional)).append(")").toString();
    }
}
