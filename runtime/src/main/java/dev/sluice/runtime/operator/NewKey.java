package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.serdes.row.Row;

/**
 * The key a re-keyed record gets (RekeyStep): the key expressions over its value. A tombstone gets
 * a key of NULL columns, or the one ksqlDB computes from its record key: a null key would be
 * dropped without a trace by the repartition, and ksqlDB passes a stream's tombstone on (PARTITION BY).
 *
 * @param nullKey the record key a tombstone without one is read as (NULL columns, wide enough for
 *                {@code tombstoneKey})
 */
public record NewKey(Evaluator[] key, Evaluator[] tombstoneKey, Row nullKey) {
    public Row of(Row recordKey, Row value) {
        if (value != null) {
            return CalcChain.project(key, value);
        }
        return tombstoneKey.length == 0 ? new Row(new Object[key.length])
                : CalcChain.project(tombstoneKey, recordKey == null ? nullKey : recordKey);
    }
}
