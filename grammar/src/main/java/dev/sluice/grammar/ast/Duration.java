package dev.sluice.grammar.ast;

/**
 * A ksqlDB-style duration ({@code 5 MINUTES}, {@code 30 SECONDS}) as written: amount and unit
 * (upper case, as spelled: SECOND(S), MINUTE(S), HOUR(S), DAY(S), MILLISECOND(S)).
 */
public record Duration(long amount, String unit, NodeLocation location) implements Node {
}
