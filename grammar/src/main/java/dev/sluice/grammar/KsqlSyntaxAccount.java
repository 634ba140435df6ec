package dev.sluice.grammar;

/**
 * What ksqlDB's parser says about a syntax error (its {@code SyntaxErrorValidator}): the line after
 * its {@code Syntax Error} — {@code Syntax error at or near 'X' at line L:C} where no alternative
 * fits, {@code Expecting {…}} for a short list of expected tokens, {@code Unknown statement 'X'} at a
 * statement's start, ANTLR's {@code missing ')' at ','}. {@code detail} is empty where ksqlDB adds
 * nothing (a long expected list).
 *
 * @param detail     the line after {@code Syntax Error}, possibly empty
 * @param ksqlOnly   the error is at one of ksqlDB's own statements (ASSERT, RUN SCRIPT, PRINT, …): the
 *                   script is ksqlDB's even when nothing else says so
 */
public record KsqlSyntaxAccount(String detail, boolean ksqlOnly) {
}
