// Tests start real servers that load real models and compete for the same cores; run them
// one class at a time so that queueing behaviour is what the tests set up, not noise.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
