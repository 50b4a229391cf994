export {
  generateService,
  planService,
  type GenerateServiceOptions,
  type GeneratedService,
  type ServicePlan,
} from './generate-service.js';
export { generatorErrors } from './generator.errors.js';
export {
  serviceGenerator,
  type GeneratorTree,
  type ServiceGeneratorSchema,
} from './nx-generator.js';
export {
  checkServiceName,
  nameVariants,
  serviceNameMaxLength,
  serviceNamePattern,
  templateName,
  type NameVariants,
} from './service-name.js';
export {
  keepLineMarker,
  renameText,
  renderService,
  type RenderedFile,
} from './template-renderer.js';
export {
  generateStandaloneService,
  type GenerateStandaloneOptions,
  type GeneratedStandalone,
} from './standalone-starter.js';
