package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * ksqlDB's conversions between text, bytes and numbers: {@code ENCODE(s, from, to)} (between hex,
 * utf8, ascii and base64; text the input encoding cannot read, or an unknown encoding, gives NULL,
 * as ksqlDB's failed call does), {@code TO_BYTES(s, encoding)}, {@code FROM_BYTES(b, encoding)}
 * (hex written upper-case, as ksqlDB does), and {@code INT_FROM_BYTES}, {@code BIGINT_FROM_BYTES},
 * {@code DOUBLE_FROM_BYTES(b [, 'BIG_ENDIAN'|'LITTLE_ENDIAN'])}. NULL in, NULL out.
 */
final class KsqlBytesFunctions {
    private KsqlBytesFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(encode(), toBytes(), fromBytes(),
                number("INT_FROM_BYTES", ScalarType.INTEGER, 4),
                number("BIGINT_FROM_BYTES", ScalarType.BIGINT, 8),
                number("DOUBLE_FROM_BYTES", ScalarType.DOUBLE, 8));
    }

    private static Fn encode() {
        return Fn.of("ENCODE", args -> Sig.varchar("ENCODE", args, "VARCHAR", "VARCHAR", "VARCHAR"),
                (args, t) -> a -> {
                    byte[] bytes = decode((String) a[0], (String) a[1]);
                    return bytes == null ? null : text(bytes, (String) a[2], false);
                });
    }

    private static Fn toBytes() {
        return Fn.of("TO_BYTES", args -> {
            Sig.check("TO_BYTES", args, "VARCHAR", "VARCHAR");
            return ScalarType.BYTES;
        }, (args, t) -> a -> {
            byte[] bytes = decode((String) a[0], (String) a[1]);
            if (bytes == null) {
                throw new FunctionException("TO_BYTES cannot read '" + a[0] + "' as " + a[1]);
            }
            return bytes;
        });
    }

    private static Fn fromBytes() {
        return Fn.of("FROM_BYTES", args -> {
            Sig.check("FROM_BYTES", args, "ANY", "VARCHAR");
            if (args.get(0).type() != ScalarType.BYTES && args.get(0).type() != ScalarType.NULL) {
                throw new FunctionException("FROM_BYTES expects (BYTES, VARCHAR), got " + Args.typeList(args));
            }
            return ScalarType.VARCHAR;
        }, (args, t) -> a -> {
            String s = text((byte[]) a[0], (String) a[1], true);
            if (s == null) {
                throw new FunctionException("FROM_BYTES: unknown encoding '" + a[1] + "' (hex, utf8, ascii, base64)");
            }
            return s;
        });
    }

    private static Fn number(String name, ScalarType type, int size) {
        return Fn.of(name, args -> {
            Sig.check(name, args, "ANY", "[VARCHAR]");
            if (args.get(0).type() != ScalarType.BYTES && args.get(0).type() != ScalarType.NULL) {
                throw new FunctionException(name + " expects (BYTES[, VARCHAR]), got " + Args.typeList(args));
            }
            return type;
        }, (args, t) -> a -> {
            byte[] b = (byte[]) a[0];
            if (b.length != size) {
                throw new FunctionException(name + " expects " + size + " bytes, got " + b.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(b).order(order(a.length > 1 ? (String) a[1] : "BIG_ENDIAN"));
            return switch (type) {
                case INTEGER -> buffer.getInt();
                case BIGINT -> buffer.getLong();
                default -> buffer.getDouble();
            };
        });
    }

    private static ByteOrder order(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "BIG_ENDIAN" -> ByteOrder.BIG_ENDIAN;
            case "LITTLE_ENDIAN" -> ByteOrder.LITTLE_ENDIAN;
            default -> throw new FunctionException("byte order must be 'BIG_ENDIAN' or 'LITTLE_ENDIAN', not '"
                    + name + "'");
        };
    }

    /** The bytes {@code s} stands for in {@code encoding}; null when it cannot be read so. */
    static byte[] decode(String s, String encoding) {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "hex" -> hex(s);
            case "utf8" -> s.getBytes(StandardCharsets.UTF_8);
            case "ascii" -> s.getBytes(StandardCharsets.US_ASCII);
            case "base64" -> {
                try {
                    yield Base64.getDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
            default -> null;
        };
    }

    /** {@code bytes} written in {@code encoding}; null for an unknown encoding. */
    static String text(byte[] bytes, String encoding, boolean upperHex) {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "hex" -> upperHex ? HexFormat.of().withUpperCase().formatHex(bytes) : HexFormat.of().formatHex(bytes);
            case "utf8" -> new String(bytes, StandardCharsets.UTF_8);
            case "ascii" -> new String(bytes, StandardCharsets.US_ASCII);
            case "base64" -> Base64.getEncoder().encodeToString(bytes);
            default -> null;
        };
    }

    /**
     * Hex digits, also as {@code 0x…} (an odd count gets a leading 0) or {@code X'…'}; null when
     * not hex.
     */
    private static byte[] hex(String s) {
        String digits = s;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            digits = s.substring(2);
            if (digits.length() % 2 == 1) {
                digits = "0" + digits;
            }
        } else if ((s.startsWith("X'") || s.startsWith("x'"))) {
            if (s.length() < 3 || !s.endsWith("'")) {
                return null;
            }
            digits = s.substring(2, s.length() - 1);
        }
        if (digits.length() % 2 == 1) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
