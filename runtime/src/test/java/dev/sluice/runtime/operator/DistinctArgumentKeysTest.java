package dev.sluice.runtime.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DISTINCT stores' argument keys: canonical for MAP and VARIANT (nested too), unchanged for the rest. */
class DistinctArgumentKeysTest {
    private static final MapType MAP = new MapType(ScalarType.VARCHAR, ScalarType.BIGINT);

    private static Map<String, Long> map(Object... entries) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            out.put((String) entries[i], ((Number) entries[i + 1]).longValue());
        }
        return out;
    }

    @Test
    void mapsAndVariantObjectsInAnyEntryOrderHaveOneKeyThatReadsBack() throws Exception {
        List<SqlType> types = List.of(new ArrayType(MAP), ScalarType.VARCHAR);
        Object[] pq = {List.of(map("p", 1, "q", 2)), "x"};
        Object[] qp = {List.of(map("q", 2, "p", 1)), "x"};
        byte[] key = DistinctArgumentKeys.of(types, pq);
        assertArrayEquals(key, DistinctArgumentKeys.of(types, qp));
        assertFalse(java.util.Arrays.equals(key, DistinctArgumentKeys.of(types, new Object[] {List.of(map("p", 1)), "x"})));
        Object[] back = DistinctArgumentKeys.read(types, key);
        assertEquals(List.of(pq), List.of(back));

        ObjectMapper json = new ObjectMapper();
        List<SqlType> variant = List.of(ScalarType.VARIANT);
        byte[] ab = DistinctArgumentKeys.of(variant, new Object[] {json.readTree("{\"a\":1,\"b\":[true]}")});
        assertArrayEquals(ab, DistinctArgumentKeys.of(variant, new Object[] {json.readTree("{\"b\":[true],\"a\":1}")}));
        assertEquals(json.readTree("{\"a\":1,\"b\":[true]}"), DistinctArgumentKeys.read(variant, ab)[0]);
    }

    @Test
    void typesWithoutMapOrVariantKeepTheirStateCodecKey() throws Exception {
        List<SqlType> types = List.of(ScalarType.BIGINT, new ArrayType(ScalarType.VARCHAR), ScalarType.BYTES);
        Object[] values = {7L, List.of("a", "b"), new byte[] {1, 2}};
        ByteArrayDataOutput codec = new ByteArrayDataOutput(16);
        ValueCodec.writeRow(codec, types, Row.of(values));
        assertArrayEquals(codec.toByteArray(), DistinctArgumentKeys.of(types, values));
        assertFalse(DistinctArgumentKeys.byEquality(types));
        assertTrue(DistinctArgumentKeys.byEquality(List.of(ScalarType.BIGINT, new ArrayType(ScalarType.VARIANT))));
    }
}
