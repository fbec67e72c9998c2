"""The theme registry: stable theme ids and names that survive refits (DESIGN.md §4).

- `store`: the YAML file and centroids, validated, history append-only;
- `matching`: a run's topics to registry themes, one to one;
- `steering`: accepted themes pulling the next fit;
- `runstate`: what a run leaves for the review import (`themes_state.json`).
"""
