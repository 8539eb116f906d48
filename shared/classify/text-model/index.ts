/** The trained text classifier: train (`trainModel`), measure (`evaluate`), load and predict (`loadModel`). */
export { trainModel, evaluate, examplesSha256, stratifiedSplit, DEFAULT_ENSEMBLE, type Example, type TrainOptions } from './train';
export { loadModel, type Prediction, type TextModel } from './model';
export type { ModelArtifact, ValidationMetrics } from './artifact';
export { DEFAULT_FEATURES, type FeatureSettings } from './features';
export { DEFAULT_SVM, type SvmOptions } from './linear-svm';
