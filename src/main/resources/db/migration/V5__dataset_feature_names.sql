-- The names of a dataset's feature columns, when its upload named them (a CSV header), as a JSON array in column
-- order; NULL for uploads without names (JSON, IDX) and datasets stored before this column. Training compares a
-- validation dataset's names with the training dataset's: the same count of columns in another order would be
-- scored column against the wrong column without a word.
ALTER TABLE datasets ADD COLUMN feature_names TEXT;
