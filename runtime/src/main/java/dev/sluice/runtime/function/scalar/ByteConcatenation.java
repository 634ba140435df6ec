package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * CONCAT and CONCAT_WS over BYTES (ksqlDB's byte overloads): when every argument is BYTES (or an
 * untyped NULL) the result is the bytes one after another, not their text. NULL arguments are
 * skipped; an empty byte string is kept (it adds a separator in CONCAT_WS).
 */
final class ByteConcatenation {
    private ByteConcatenation() {
    }

    /** True when the arguments from {@code from} on are BYTES or NULL, at least one of them BYTES. */
    static boolean applies(List<Expr> args, int from) {
        boolean anyBytes = false;
        for (int i = from; i < args.size(); i++) {
            var type = args.get(i).type();
            if (type == ScalarType.BYTES) {
                anyBytes = true;
            } else if (!Args.isNull(type)) {
                return false;
            }
        }
        return anyBytes;
    }

    /** The non-NULL {@code values} from {@code from} on, {@code separator} (may be empty) between them. */
    static byte[] join(Object[] values, int from, byte[] separator) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (int i = from; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (!first) {
                out.writeBytes(separator);
            }
            out.writeBytes((byte[]) values[i]);
            first = false;
        }
        return out.toByteArray();
    }
}
