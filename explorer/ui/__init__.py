"""The desktop window (PySide6 on a qasync event loop); the only package that imports Qt."""
