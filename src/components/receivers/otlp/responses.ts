// The pdata routines the receiver uses to convert OTLP/JSON and to write Export*ServiceResponse
// bodies, gathered in one place so the receiver's files depend on pdata through this file only.
export { encodeExportResponse, exportResponseJson, jsonToProtobuf } from '../../../pdata/json.ts';
export { validateRequest } from '../../../pdata/validate.ts';
