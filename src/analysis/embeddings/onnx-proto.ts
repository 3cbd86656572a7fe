/**
 * Just enough of the protobuf wire format to write small ONNX graphs (ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto) whose weights are ours: the exact nearest-label search and the test encoder.
 * Field numbers are those of onnx/onnx.proto.
 */

const varint = (n: number | bigint): Buffer => {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
};
const key = (field: number, wire: number) => varint((field << 3) | wire);

/** a varint field */
export const int = (field: number, n: number | bigint): Buffer => Buffer.concat([key(field, 0), varint(n)]);
/** a length-delimited field: bytes, a string or an embedded message */
export const bytes = (field: number, b: Uint8Array): Buffer => Buffer.concat([key(field, 2), varint(b.length), b]);
export const str = (field: number, s: string): Buffer => bytes(field, Buffer.from(s, 'utf8'));
export const msg = (field: number, parts: Buffer[]): Buffer => bytes(field, Buffer.concat(parts));

/** TensorProto.DataType */
export const FLOAT = 1;
export const INT64 = 7;

/** TensorShapeProto.Dimension: a size or a symbolic name */
const dim = (d: number | string) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)]);

/** GraphProto.input (11) or .output (12) */
export const valueInfo = (field: 11 | 12, name: string, elem: number, dims: (number | string)[]): Buffer =>
  msg(field, [str(1, name), msg(2, [msg(1, [int(1, elem), msg(2, dims.map(dim))])])]);

/** GraphProto.node (1) */
export const node = (inputs: string[], outputs: string[], op: string, attributes: Buffer[] = []): Buffer =>
  msg(1, [
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, `${op}_${outputs[0]}`),
    str(4, op),
    ...attributes,
  ]);

/** NodeProto.attribute (5) holding one integer (AttributeProto.type INT = 2) */
export const intAttribute = (name: string, value: number): Buffer => msg(5, [str(1, name), int(3, value), int(20, 2)]);

/** GraphProto.initializer (5): a constant tensor with raw little-endian data */
export const initializer = (name: string, dims: number[], elem: number, data: ArrayBufferView): Buffer =>
  msg(5, [
    ...dims.map((d) => int(1, d)),
    int(2, elem),
    str(8, name),
    bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  ]);

/** GraphProto.name (2) */
export const graphName = (name: string): Buffer => str(2, name);

/** ModelProto: ir_version 8, producer, the graph (nodes, name, initializers, inputs, outputs), opset 13 */
export const model = (graph: Buffer[]): Buffer =>
  Buffer.concat([int(1, 8), str(2, 'skills-demand-radar'), msg(7, graph), msg(8, [str(1, ''), int(2, 13)])]);
