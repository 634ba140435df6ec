/**
 * Sluice's own implementations of the functions ksqlDB's functional tests (QTT) put on their classpath
 * (TEST_UDF, BAD_UDF, TOSTRUCT, WHENCONDITION, WHENRESULT, TEST_UDTF, THROWING_UDTF), written against
 * Sluice's user-function API (docs/udf.md) from the behaviour the QTT cases expect. They are declared in
 * {@code META-INF/sluice/functions.properties} of the test resources; {@code mvn package -pl cli} puts
 * both into {@code cli/target/sluice-cli-*-ksql-test-functions.jar} for {@code sluice test --udf-jar}.
 */
package dev.sluice.cli.qtt.ksqlfunctions;
