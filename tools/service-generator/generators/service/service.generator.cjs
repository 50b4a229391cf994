// nx loads generator factories with require(); the generator itself is ESM (dist/nx-generator.js).
module.exports = async function serviceGenerator(tree, schema) {
  const { serviceGenerator: generate } = await import('../../dist/nx-generator.js');
  return generate(tree, schema);
};
