package dev.sluice.cli.run;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * RocksDB tuned for what Sluice's queries usually hold: many small stores (one per aggregate, join
 * side, suppress buffer...) rather than one large one. Kafka Streams' defaults give each store its
 * own 50 MB block cache and up to three 16 MB memtables, so a script with twenty stores could ask for
 * gigabytes off-heap. Here every store of the process shares one LRU cache, and memtables are
 * charged to that cache through one write-buffer manager, so RocksDB's memory is bounded by
 * {@value #MEMORY_CONFIG} (default 64 MB) however many stores there are. Index and filter blocks
 * live in the cache too (high priority), so they count against the bound.
 *
 * <p>For large states (tens of GB per instance) raise {@value #MEMORY_CONFIG} to a good share of
 * the container's memory beyond the heap, or name your own {@code rocksdb.config.setter};
 * docs/deploy.md lists the knobs.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {
    /** Total bytes for RocksDB's block cache and memtables, shared by all stores of the process. */
    public static final String MEMORY_CONFIG = "sluice.rocksdb.memory.bytes";
    static final long DEFAULT_MEMORY = 64L * 1024 * 1024;
    private static final long MEMTABLE_BYTES = 4L * 1024 * 1024;

    private static Shared shared;

    /** One cache and one write-buffer manager per process and size, never closed while stores use them. */
    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    private static synchronized Shared shared(long bytes) {
        if (shared == null || shared.bytes() != bytes) {
            // memtables may take up to a quarter of the bound; the rest caches blocks
            Cache cache = new LRUCache(bytes, -1, false, 0.1);
            shared = new Shared(bytes, cache, new WriteBufferManager(bytes / 4, cache));
        }
        return shared;
    }

    /** The shared cache's use: memtables charged to it included, so usage approaches the limit. */
    public record Memory(long limitBytes, long usageBytes, long pinnedBytes) {
    }

    /**
     * What the shared cache holds now, or empty before any store opened. Safe from any thread at any
     * time: the cache lives as long as the process, unlike a store's own RocksDB (whose property
     * gauges Sluice never reads, see dev.sluice.cli.ops.NativeStoreGauges).
     */
    public static synchronized java.util.Optional<Memory> memory() {
        if (shared == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Memory(shared.bytes(), shared.cache().getUsage(), shared.cache().getPinnedUsage()));
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_CONFIG);
        long bytes = configured == null ? DEFAULT_MEMORY : Long.parseLong(configured.toString().trim());
        Shared s = shared(bytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(s.writeBuffers());
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: closing them here would
        // pull them from under the stores still open
    }
}
