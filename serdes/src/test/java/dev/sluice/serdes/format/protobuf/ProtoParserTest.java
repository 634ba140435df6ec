package dev.sluice.serdes.format.protobuf;

import dev.sluice.serdes.row.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Schema texts as registries hold them, read into messages and then into the columns ksqlDB infers. */
class ProtoParserTest {

    @Test
    void inferredColumns_followKsqlDbsTypeMapping() {
        ProtoSchema schema = ProtoParser.parse("""
                syntax = "proto3";
                // a comment
                import "google/protobuf/wrappers.proto";
                import "confluent/type/decimal.proto";
                package acme.orders;
                option java_package = "x.y";
                message ConfluentDefault1 {
                  /* block comment */
                  bool c1 = 1;
                  int32 c2 = 2 [deprecated = true];
                  uint32 c3 = 3;
                  float c4 = 4;
                  google.protobuf.StringValue c5 = 5;
                  confluent.type.Decimal c6 = 6 [(confluent.field_meta) = { params: [{ value: "4", key: "precision" }, { value: "2", key: "scale" }]}];
                  map<string, int64> c7 = 7;
                  repeated Inner c8 = 8;
                  Suit c9 = 9;
                  oneof choice { string c10 = 10; sint64 c11 = 11; }
                  reserved 12, 13;
                  message Inner { bytes b = 1; }
                  enum Suit { SPADES = 0; HEARTS = 1; }
                }
                """);
        Schema columns = ProtoSchemas.toColumns(schema, schema.first());
        assertEquals("(c1 BOOLEAN, c2 INTEGER, c3 BIGINT, c4 DOUBLE, c5 VARCHAR, c6 DECIMAL(4, 2), "
                + "c7 MAP<VARCHAR, BIGINT>, c8 ARRAY<STRUCT<b BYTES>>, c9 VARCHAR, c10 VARCHAR, c11 BIGINT)", columns.toString());
        assertEquals("acme.orders.ConfluentDefault1", schema.first().fullName());
    }

    @Test
    void importsResolveFromTheSchemasReferences() {
        ProtoSchema schema = ProtoParser.parse("syntax = \"proto3\";\n\nimport \"event.proto\"; \n\nmessage Logistics {\n Event event = 1;\n}",
                Map.of("event.proto", "syntax = \"proto3\";\n\nmessage Event {\n int64 timestamp = 1;\n}"));
        assertEquals("(event STRUCT<timestamp BIGINT>)", ProtoSchemas.toColumns(schema, schema.first()).toString());
    }

    @Test
    void anImportWithoutItsReference_isAnError() {
        ProtoException e = assertThrows(ProtoException.class,
                () -> ProtoParser.parse("syntax = \"proto3\"; import \"event.proto\"; message L { Event event = 1; }"));
        assertEquals("the schema imports \"event.proto\", which is not among its references", e.getMessage());
    }

    @Test
    void theMessageIndexesOfNestedMessages_countFromTheTop() {
        ProtoSchema schema = ProtoParser.parse("syntax = \"proto3\"; message A {int32 x = 1;} message B { message C {int32 y = 1;} C c = 1; }");
        ProtoMessage c = schema.message("B.C");
        assertEquals(List.of(1, 0), schema.indexesOf(c));
        assertEquals("B.C", schema.byIndexes(List.of(1, 0)).fullName());
        assertEquals("A", schema.byIndexes(List.of(0)).fullName());
    }

    @Test
    void generatedText_readsBackToTheSameSchema() {
        String text = """
                syntax = "proto3";

                import "google/protobuf/timestamp.proto";

                message ConnectDefault1 {
                  google.protobuf.Timestamp TIME = 1;
                  repeated ConnectDefault2Entry M = 2;
                  optional string S = 3;

                  message ConnectDefault2Entry {
                    string key = 1;
                    ConnectDefault3 value = 2;

                    message ConnectDefault3 {
                      int32 F0 = 1;
                    }
                  }
                }
                """;
        ProtoSchema schema = ProtoParser.parse(text);
        assertEquals(text, ProtoText.render(schema));
        assertEquals("(TIME TIMESTAMP(3), M MAP<VARCHAR, STRUCT<F0 INTEGER>>, S VARCHAR)",
                ProtoSchemas.toColumns(schema, schema.first()).toString());
    }

    @Test
    void anUnknownType_isAnErrorNamingTheField() {
        ProtoException e = assertThrows(ProtoException.class,
                () -> ProtoParser.parse("syntax = \"proto3\"; message M { Missing m = 1; }"));
        assertEquals("field m has type Missing, which the schema does not define", e.getMessage());
    }
}
