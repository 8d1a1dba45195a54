"""Who sent a case, kept apart from the case file and encrypted with keys that are not SECRET_KEY.

Owns `Identity` (the sealed sender), `CaseFingerprint` (its keyed fingerprints, indexed) and
`IdentityAccess` (who saw it); the keys, the encryption and the fingerprints (`crypto.py`); sealing,
revealing with the access log, and key rotation (`services.py`); reads (`selectors.py`). It sits
below the cases and imports nothing of them: its models point at "voice.Case" by name, and what it
rotates besides its own rows is registered with it (other apps' sealed fields, the cases' protected
attachments). The pages that show an identity are the case file's (`cases.views.identity`).
"""
