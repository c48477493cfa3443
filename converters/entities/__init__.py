"""The register: people, places and organisations named in the corpus (see README, "The register").

`recognise` finds candidate names in post text (spaCy NER, the place `gazetteer`, forum members'
names, a few patterns); `resolve` turns the candidates of the whole corpus into one entry per real
entity (`normalise` says which spellings are the same name), settles each entry's type by the
evidence of every mention, and applies the human-curated register file (`register`), which always
wins. Quoted text inherits the mentions of the post it quotes instead of being counted again.
"""
