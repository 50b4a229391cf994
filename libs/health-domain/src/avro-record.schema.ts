/** The subset of Avro's schema language the health-domain records use: flat records of primitives. */
export type AvroPrimitiveType = 'string' | 'long' | 'int' | 'double';

export interface AvroField {
  readonly name: string;
  readonly type: AvroPrimitiveType;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace: string;
  readonly fields: readonly AvroField[];
}

/** `com.example.HeartRate` for `{ namespace: 'com.example', name: 'HeartRate' }`. */
export function avroFullName(schema: AvroRecordSchema): string {
  return `${schema.namespace}.${schema.name}`;
}
