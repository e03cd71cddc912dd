"""The warehouse KPI engine, plain Python apart from the models (as OCA mis_builder's aep):
`registry` defines each KPI once, `engine` computes them over a typed `scope`, `days` holds
the local-day arithmetic and `access` decides whose record rules narrow the figures."""
