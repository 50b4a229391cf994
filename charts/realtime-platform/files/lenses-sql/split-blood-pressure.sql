INSERT INTO blood_pressure_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.systolic AS systolic,
    _value.diastolic AS diastolic,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
