"""Qt-free core: catalogs, request building, linting, profiles, HTTP execution and export."""
