package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ksqlDB's string, URL and math functions with its names, argument forms and NULL handling: the
 * MASK family, MD5, ELT, UUID, SPLIT_TO_MAP, REGEXP_EXTRACT_ALL, REGEXP_SPLIT_TO_ARRAY, the URL_*
 * family, COSH, SINH, TANH, COT, RANDOM and GEO_DISTANCE.
 */
final class KsqlStringFunctions {
    private KsqlStringFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                mask("MASK", 0, (m, s, n) -> m.mask(s)),
                mask("MASK_LEFT", 1, (m, s, n) -> m.mask(s.substring(0, n(s, n))) + s.substring(n(s, n))),
                mask("MASK_RIGHT", 1, (m, s, n) -> s.substring(0, s.length() - n(s, n)) + m.mask(s.substring(s.length() - n(s, n)))),
                mask("MASK_KEEP_LEFT", 1, (m, s, n) -> s.substring(0, n(s, n)) + m.mask(s.substring(n(s, n)))),
                mask("MASK_KEEP_RIGHT", 1, (m, s, n) -> m.mask(s.substring(0, s.length() - n(s, n))) + s.substring(s.length() - n(s, n))),
                md5(), elt(), uuid(), splitToMap(), regexpExtractAll(), regexpSplitToArray(),
                url("URL_EXTRACT_HOST", URI::getHost), url("URL_EXTRACT_PATH", URI::getPath),
                url("URL_EXTRACT_QUERY", URI::getQuery), url("URL_EXTRACT_FRAGMENT", URI::getFragment),
                url("URL_EXTRACT_PROTOCOL", URI::getScheme), urlPort(), urlParameter(),
                text("URL_ENCODE_PARAM", s -> URLEncoder.encode(s, StandardCharsets.UTF_8)),
                text("URL_DECODE_PARAM", s -> URLDecoder.decode(s, StandardCharsets.UTF_8)),
                math("COSH", Math::cosh), math("SINH", Math::sinh), math("TANH", Math::tanh),
                math("COT", x -> 1 / Math.tan(x)), random(), geoDistance());
    }

    private static int n(String s, int n) {
        return Math.min(n, s.length());
    }

    private interface MaskOp {
        String apply(Masker masker, String input, int count);
    }

    /** Replacement characters for upper, lower, digit and other; NULL leaves that class as it is. */
    private record Masker(int upper, int lower, int digit, int other) {
        static final int KEEP = -1;

        static int of(Object mask) {
            if (mask == null) {
                return KEEP;
            }
            String m = (String) mask;
            if (m.codePointCount(0, m.length()) != 1) {
                throw new FunctionException("a mask character must be one character, not '" + m + "'");
            }
            return m.codePointAt(0);
        }

        String mask(String s) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().forEach(c -> {
                int replacement = switch (Character.getType(c)) {
                    case Character.UPPERCASE_LETTER -> upper;
                    case Character.LOWERCASE_LETTER -> lower;
                    case Character.DECIMAL_DIGIT_NUMBER -> digit;
                    default -> other;
                };
                out.appendCodePoint(replacement == KEEP ? c : replacement);
            });
            return out.toString();
        }
    }

    /**
     * MASK(s [, upper, lower, digit, other]) and MASK_LEFT|RIGHT|KEEP_LEFT|KEEP_RIGHT(s, n [, ...]):
     * defaults X, x, n and -. A NULL string gives NULL; a NULL mask character keeps that class.
     */
    private static Fn mask(String name, int counts, MaskOp op) {
        String expected = counts == 0 ? "(VARCHAR [, VARCHAR upper, VARCHAR lower, VARCHAR digit, VARCHAR other])"
                : "(VARCHAR, INTEGER [, VARCHAR upper, VARCHAR lower, VARCHAR digit, VARCHAR other])";
        return Fn.of(name, args -> {
            if (args.size() != 1 + counts && args.size() != 5 + counts) {
                throw Args.mismatch(name, expected, args);
            }
            for (int i = 0; i < args.size(); i++) {
                if (!Sig.fits(i == 1 && counts == 1 ? "INTEGER" : "VARCHAR", args.get(i).type())) {
                    throw Args.mismatch(name, expected, args);
                }
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return null;
            }
            int n = 0;
            if (counts == 1) {
                if (a[1] == null) {
                    return null;
                }
                n = (int) Numbers.toLong(a[1]);
                if (n < 0) {
                    throw new FunctionException(name + ": the number of characters to mask cannot be negative");
                }
            }
            Masker masker = a.length > 1 + counts
                    ? new Masker(Masker.of(a[1 + counts]), Masker.of(a[2 + counts]), Masker.of(a[3 + counts]),
                    Masker.of(a[4 + counts]))
                    : new Masker('X', 'x', 'n', '-');
            return op.apply(masker, (String) a[0], n);
        }).seeingNulls();
    }

    private static Fn md5() {
        return Fn.of("MD5", args -> Sig.varchar("MD5", args, "VARCHAR"), (args, t) -> a -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                        .digest(((String) a[0]).getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** ELT(n, s1, s2, ...): the n-th string (1-based); NULL when n is out of range. */
    private static Fn elt() {
        return Fn.of("ELT", args -> {
            if (args.isEmpty() || !Sig.fits("INTEGER", args.get(0).type())
                    || args.subList(1, args.size()).stream().anyMatch(e -> !Sig.fits("VARCHAR", e.type()))) {
                throw Args.mismatch("ELT", "(INTEGER, VARCHAR...)", args);
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> {
            if (a[0] == null) {
                return null;
            }
            long n = Numbers.toLong(a[0]);
            return n < 1 || n >= a.length ? null : a[(int) n];
        }).seeingNulls();
    }

    private static Fn uuid() {
        return Fn.of("UUID", args -> {
            Args.count("UUID", "()", args, 0, 0);
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> UUID.randomUUID().toString()).nonDeterministic();
    }

    /** SPLIT_TO_MAP(s, entryDelimiter, kvDelimiter): entries without the kv delimiter are skipped; the last duplicate wins. */
    private static Fn splitToMap() {
        return Fn.of("SPLIT_TO_MAP", args -> {
            Sig.check("SPLIT_TO_MAP", args, "VARCHAR", "VARCHAR", "VARCHAR");
            return new MapType(ScalarType.VARCHAR, ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            String s = (String) a[0];
            String entry = (String) a[1];
            String kv = (String) a[2];
            if (entry.isEmpty() || kv.isEmpty() || entry.equals(kv)) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (String e : s.split(Pattern.quote(entry))) {
                int at = e.indexOf(kv);
                if (!e.isEmpty() && at >= 0) {
                    String rest = e.substring(at + kv.length());
                    int next = rest.indexOf(kv);
                    out.put(e.substring(0, at), next >= 0 ? rest.substring(0, next) : rest);
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** REGEXP_EXTRACT_ALL(pattern, s [, group]): every match's group; NULL when the group does not exist. */
    private static Fn regexpExtractAll() {
        return Fn.of("REGEXP_EXTRACT_ALL", args -> {
            Sig.check("REGEXP_EXTRACT_ALL", args, "VARCHAR", "VARCHAR", "[INTEGER]");
            return new ArrayType(ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            Matcher m = pattern((String) a[0]).matcher((String) a[1]);
            long group = a.length > 2 ? Numbers.toLong(a[2]) : 0;
            if (group > m.groupCount()) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group((int) group));
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** REGEXP_SPLIT_TO_ARRAY(s, pattern): empty parts kept, as ksqlDB's splitter keeps them. */
    private static Fn regexpSplitToArray() {
        return Fn.of("REGEXP_SPLIT_TO_ARRAY", args -> {
            Sig.check("REGEXP_SPLIT_TO_ARRAY", args, "VARCHAR", "VARCHAR");
            return new ArrayType(ScalarType.VARCHAR);
        }, (args, t) -> a -> {
            String s = (String) a[0];
            Pattern p = pattern((String) a[1]);
            if (((String) a[1]).isEmpty() || p.matcher("").matches()) {
                return List.of((Object[]) p.split(s));
            }
            return List.of((Object[]) p.split(s, -1));
        });
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new FunctionException("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new FunctionException("URL input has invalid syntax: " + url);
        }
    }

    private static Fn url(String name, Function<URI, String> part) {
        return Fn.of(name, args -> Sig.varchar(name, args, "VARCHAR"), (args, t) -> a -> part.apply(uri((String) a[0])));
    }

    private static Fn urlPort() {
        return Fn.of("URL_EXTRACT_PORT", args -> {
            Sig.check("URL_EXTRACT_PORT", args, "VARCHAR");
            return ScalarType.INTEGER;
        }, (args, t) -> a -> {
            int port = uri((String) a[0]).getPort();
            return port < 0 ? null : port;
        });
    }

    /** URL_EXTRACT_PARAMETER(url, name): the (still encoded) value; '' for a name without '='; NULL when absent. */
    private static Fn urlParameter() {
        return Fn.of("URL_EXTRACT_PARAMETER", args -> Sig.varchar("URL_EXTRACT_PARAMETER", args, "VARCHAR", "VARCHAR"),
                (args, t) -> a -> {
                    String query = uri((String) a[0]).getQuery();
                    if (query == null) {
                        return null;
                    }
                    for (String param : query.split("&", -1)) {
                        int eq = param.indexOf('=');
                        if (eq < 0 && param.equals(a[1])) {
                            return "";
                        }
                        if (eq >= 0 && param.substring(0, eq).equals(a[1])) {
                            return param.substring(eq + 1);
                        }
                    }
                    return null;
                });
    }

    private static Fn text(String name, Function<String, String> f) {
        return Fn.of(name, args -> Sig.varchar(name, args, "VARCHAR"), (args, t) -> a -> f.apply((String) a[0]));
    }

    private static Fn math(String name, java.util.function.DoubleUnaryOperator f) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "NUMERIC");
            return ScalarType.DOUBLE;
        }, (args, t) -> a -> f.applyAsDouble(Numbers.toDouble(a[0])));
    }

    private static Fn random() {
        return Fn.of("RANDOM", args -> {
            Args.count("RANDOM", "()", args, 0, 0);
            return ScalarType.DOUBLE;
        }, (args, t) -> a -> Math.random()).nonDeterministic();
    }

    /**
     * GEO_DISTANCE(lat1, lon1, lat2, lon2 [, unit]): great-circle distance in km (default, also for
     * a NULL or blank unit) or miles, computed in ksqlDB's order so the digits match.
     */
    private static Fn geoDistance() {
        return Fn.of("GEO_DISTANCE", args -> {
            Sig.check("GEO_DISTANCE", args, "NUMERIC", "NUMERIC", "NUMERIC", "NUMERIC", "[VARCHAR]");
            return ScalarType.DOUBLE;
        }, (args, t) -> a -> {
            for (int i = 0; i < 4; i++) {
                if (a[i] == null) {
                    return null;
                }
            }
            double lat1 = Numbers.toDouble(a[0]);
            double lon1 = Numbers.toDouble(a[1]);
            double lat2 = Numbers.toDouble(a[2]);
            double lon2 = Numbers.toDouble(a[3]);
            for (double lat : new double[]{lat1, lat2}) {
                if (lat < -90 || lat > 90) {
                    throw new FunctionException("GEO_DISTANCE: a latitude must be between -90 and 90, not " + lat);
                }
            }
            for (double lon : new double[]{lon1, lon2}) {
                if (lon < -180 || lon > 180) {
                    throw new FunctionException("GEO_DISTANCE: a longitude must be between -180 and 180, not " + lon);
                }
            }
            String unit = a.length > 4 && a[4] != null ? ((String) a[4]).trim().toLowerCase(java.util.Locale.ROOT) : "";
            double radius = switch (unit) {
                case "mi", "mile", "miles" -> 3959;
                case "", "km", "kilometer", "kilometers", "kilometre", "kilometres" -> 6371;
                default -> throw new FunctionException("GEO_DISTANCE: the unit must be mi or km, not '" + unit + "'");
            };
            double dLat = radians(lat2 - lat1);
            double dLon = radians(lon2 - lon1);
            double h = haversin(dLat) + haversin(dLon) * Math.cos(radians(lat1)) * Math.cos(radians(lat2));
            return 2 * Math.asin(Math.sqrt(h)) * radius;
        }).seeingNulls();
    }

    private static double haversin(double v) {
        double s = Math.sin(v / 2);
        return s * s;
    }

    /**
     * Degrees to radians as {@code degrees / 180 * PI}, the order Java 8's {@code Math.toRadians}
     * used: ksqlDB's published distances were computed so (8634.659796579544 km from Palo Alto to
     * London, where today's {@code toRadians}, one multiplication, gives ...546).
     */
    private static double radians(double degrees) {
        return degrees / 180.0 * Math.PI;
    }
}
