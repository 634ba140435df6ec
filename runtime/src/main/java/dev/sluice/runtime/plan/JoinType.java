package dev.sluice.runtime.plan;

public enum JoinType { INNER, LEFT, FULL }
