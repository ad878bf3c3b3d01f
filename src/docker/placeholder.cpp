// Placeholder so the library has a source until the folder's first real file lands; delete it then.
