"""The stages of an article, one module each: text in, frozen records (summarize.records) out.

reading -> cleaning -> segmenting -> figures, quotes -> selecting; then, once the model has translated,
guard and rendering. A stage imports only summarize.records and summarize.errors (and the private helpers
of this package, such as the Kiwi loader); it never imports another stage. summarize.article wires them.
"""
