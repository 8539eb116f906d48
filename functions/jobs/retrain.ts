import type { ScheduledEvent } from 'aws-lambda';
import { shippedModels } from '../../shared/classify/intent';
import trainingJson from '../../shared/classify/models/support-training.json';
import { allCorrections, runRetrain } from '../../shared/classify/retrain';
import { decodeTrainingData } from '../../shared/classify/training-data';
import type { RetrainDecision } from '../../shared/classify/model-store';
import { logger } from '../lib/logger';
import { labelStore, modelStore } from '../lib/services';

const crm = labelStore();
const models = await modelStore();
const shipped = decodeTrainingData(trainingJson);

/** Scheduled daily: retrains the support models from the shipped rows and agents' corrections, promoting them if not worse. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<RetrainDecision> => {
  const now = event.time ? new Date(event.time) : new Date();
  const corrections = await allCorrections(crm);
  const decision = await runRetrain(models, { shipped: { ...shipped, models: shippedModels() }, corrections }, { now });
  const { candidate, current, ...summary } = decision;
  const figures = {
    ...summary,
    ...(candidate ? { candidateCategoryAccuracy: candidate.categoryAccuracy, candidateCorrectionAccuracy: candidate.correctionAccuracy } : {}),
    ...(current ? { currentCategoryAccuracy: current.categoryAccuracy, currentCorrectionAccuracy: current.correctionAccuracy } : {}),
  };
  logger.info(`retrain: ${decision.outcome}`, figures);
  return decision;
};
