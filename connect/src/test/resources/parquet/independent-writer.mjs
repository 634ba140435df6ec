// Writes independent-writer.parquet, the fixture ParquetFilesTest reads: a file made by a Parquet
// writer that shares no code with Apache Parquet's Java library (hyparquet-writer, JavaScript).
// Regenerate: npm install hyparquet-writer@0.17.0 && node independent-writer.mjs
import { parquetWriteFile } from 'hyparquet-writer'

parquetWriteFile({
  filename: 'independent-writer.parquet',
  createdBy: 'hyparquet-writer 0.17.0 (Sluice test fixture)',
  columnData: [
    { name: 'order_id', data: [1n, 2n, 3n] },
    { name: 'customer', data: ['ann', null, 'carl "c"'] },
    { name: 'amount', data: [1050n, -99n, null] },
    { name: 'price', data: [12.345, 0.001, 1000] },
    { name: 'created_at', data: [1705312800123456n, 1705312801000001n, null] },
    { name: 'order_day', data: [19737, 19738, 19739] },
    { name: 'score', data: [0.5, 1.25, null] },
    { name: 'paid', data: [true, false, null] },
    { name: 'address', data: [{ city: 'Oslo', zip: 150 }, { city: 'Lima', zip: null }, null] },
    { name: 'tags', data: [['a', 'b'], [], null] },
  ],
  schema: [
    { name: 'root', num_children: 10 },
    { name: 'order_id', type: 'INT64', repetition_type: 'REQUIRED' },
    { name: 'customer', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'amount', type: 'INT64', converted_type: 'DECIMAL', precision: 10, scale: 2, repetition_type: 'OPTIONAL' },
    { name: 'price', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 8, converted_type: 'DECIMAL', precision: 12, scale: 3, repetition_type: 'REQUIRED' },
    { name: 'created_at', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, repetition_type: 'OPTIONAL' },
    { name: 'order_day', type: 'INT32', converted_type: 'DATE', repetition_type: 'REQUIRED' },
    { name: 'score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'paid', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    { name: 'address', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'city', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'zip', type: 'INT32', repetition_type: 'OPTIONAL' },
    { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  ],
})
