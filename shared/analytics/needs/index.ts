/** Need analysis: terms, top terms per group, LDA topics and their evaluation (docs/need-analysis.md). */
export * from './analyse';
export * from './evaluate';
export * from './lda';
export * from './stop-words';
export * from './tokenize';
export * from './top-terms';
