package dev.sluice.runtime.plan;

/**
 * When a windowed aggregate emits. FINAL: one row per window once it closes (Flink's default for
 * group windows). CHANGES: every update as it happens.
 */
public enum EmitMode { FINAL, CHANGES }
