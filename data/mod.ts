/**
 * Data helpers: read a CSV file into features and labels (class names mapped
 * to ids, the mapping kept), split into training and test sets (stratified
 * on request), scale features (fit on the training set, applied to any set,
 * saved with the model), one-hot encode class ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCsv, standardScaler, trainTestSplit } from "./mod.ts";
 * const data = await readCsv(new URL("../examples/data/breast_cancer.csv", import.meta.url));
 * const split = trainTestSplit(data.x, data.y, { testSize: 0.2, stratify: true, seed: 1 });
 * const scaler = standardScaler(split.xTrain);
 * const scaled = scaler.transform(split.xTest);
 * assert.deepEqual(scaled.shape, [114, 30]);
 * ```
 *
 * @module
 */

export { type CsvData, type CsvOptions, type Matrix, parseCsv, readCsv } from "./csv.ts";
export { encodeLabels, oneHot } from "./labels.ts";
export { type MatrixLike, toMatrix } from "./matrix.ts";
export { minMaxScaler, type Scaler, standardScaler } from "./scalers.ts";
export { type Split, type SplitOptions, trainTestSplit } from "./split.ts";
export type { MinMaxScalerData, ScalerData, StandardScalerData } from "../core/preprocessing.ts";
