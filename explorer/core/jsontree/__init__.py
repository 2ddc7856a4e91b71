"""Qt-free lazy JSON document model: parsing, nodes, paths, serialisation, search and filters."""
